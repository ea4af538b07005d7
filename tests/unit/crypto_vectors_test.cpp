// The crypto backend's shared vectors (ADR 0026): the same file runs in the Linux unit tests
// (OpenSSL backend) and in tests/windows/crypto_vectors under Wine (Windows CNG backend), so
// both backends must agree on every case. Keys and tokens were made once with Python's
// `cryptography` package (OpenSSL underneath), not with the SDK. Test-only keys.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "auth/crypto.hpp"
#include "auth/crypto_backend.hpp"
#include "auth/jose.hpp"
#include "auth/key_der.hpp"

namespace {

namespace jose = roserocket::detail::jose;

// clang-format off
const char* const kRsaPkcs8Pem = R"(-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCm59YvG7Rljkji
6FlFfCFDUaw2sc5Uern1tTl+Awe57T+vooeDnae5sNn6i3aW4/EPZF+WqdqA+JwF
Lfj0o5x2TBRg+Sno9ibIVqoWSODytEhaaOp0h4bOAxWD/AFzUc3Z3Tu51gxSaxbp
+OIEjFyCdUGso7qb/LfrF5JpyFqzTdKnTDcVgvjTppAyzuVR9u8JjcOFvg5yNtQN
5n4w3rwT8NcDBeIwYAJPyn6tuSILnoD5TjcaRwPdcIFDS9fe4EpbGHLsAIq8NML5
N1vFnrcY1yCmIEMs0vxKK5mMoym3saTDIgWZ8WkwrWhRFWvEGMYuGvpSnsemEy0B
7MBJ7qvLAgMBAAECggEAJOIVpEpghpK3S6Fh3OeN6DT7tAh92pBWWNRn9I9R3UXu
7W6iuLSVtIS+3s2D8ttDUY3yS7aUSSznOYPLwLAJKuEsHbPiDY+byWjRZGRNhYTO
emA183NhmFP5JLYDUgsRTORFRw9koK/2m9S6iZvE87Vawn5aBg+GSybl3Yd/d6DO
Y6eYLBVa0Ea5Is3QNqbXPhb4qqxS8TUJpjjMrEyE1Z7oH1q1kHUp+qSZUm1CyeTQ
EfR223mBvsJuusSqdhsEisMR8L+lACWwzILJWKEEIUGGsgfeSXu5KHg205fXLmEj
XmHt46ejzxcRAyoQ611ICg4oTnVwlp8MuLUWzkV2qQKBgQDqvcXrkCiE5IZ74heR
11ULbWEwiRpdVxu464YK02isSbQhvk7+5qGVrf5tSwB7fie1xmGzk0N4aT2CYwzR
4uyQK9uUpIM44rQyngXEaOIyW413GSBwP+RnA/oPxw6sWg0ykgyLsYJeAmAheVIc
HyyfuAKpeVVj4AwQ7YaI1YRByQKBgQC2BV2JOfitVhKX/vaSg5os2FUTSguFhh6r
m85xzsyu28ATWNVPgCyzSdZkQKzEpyexKB01ACdBmMTM6ynMdcUjY+BdETQXJApn
/0iApkFjY0s8gyJ7YFv/iHlMr2kmodLnhOjSDydUqrhb9A2D/pL7mUJIQ8iEsejS
4rSDtG9q8wKBgFMRxTCPW0dr94tvfxfFM/tPQc2DNylA4jaWYmECX1BY5L3sMthR
lWz6ncbfe9Q32KWjBoAd5Qp/c5zooGjF/SEn5BS+AxHmaA5hjXjsBN/9NhqncatH
cPRjm+Jpdu/XDkSPGpF0x8Ws4Yf2/u+kuI3s+EQxA97MMnjrFWjm5l7BAoGAQoKF
Yh4vss6vrqB4YqL51AccVxcITLrsPBKLheRlwEMF1UvxbcJNExoY37sOJjFZ/I7G
1VYAAiUbTDFlrZMe/MaC9h7SJN6Deuq6CGA3pmRi2nKkR+a21xF8GTxDNN2OnhBf
rlnhKjvTb64mviNoe8zNfnBeNbZ4d45lHXbx+2cCgYBewMh2lE3nVhqNGt5gxHmM
A91mZypIckztvZp2S0+NdACq2lzci5Fr81hc8OsgaM3PZh/MpDFtOG7XXm5nJc17
FImScCW2AvFuUqIlu2hS/qmcvI+YqIDHuEy03rQVFNKpX6sCQ/bTAbrIL7fTZEqe
0krqpPbRV0KxTyDA8Jx9kQ==
-----END PRIVATE KEY-----
)";
const char* const kRsaPkcs1Pem = R"(-----BEGIN RSA PRIVATE KEY-----
MIIEogIBAAKCAQEApufWLxu0ZY5I4uhZRXwhQ1GsNrHOVHq59bU5fgMHue0/r6KH
g52nubDZ+ot2luPxD2RflqnagPicBS349KOcdkwUYPkp6PYmyFaqFkjg8rRIWmjq
dIeGzgMVg/wBc1HN2d07udYMUmsW6fjiBIxcgnVBrKO6m/y36xeSachas03Sp0w3
FYL406aQMs7lUfbvCY3Dhb4OcjbUDeZ+MN68E/DXAwXiMGACT8p+rbkiC56A+U43
GkcD3XCBQ0vX3uBKWxhy7ACKvDTC+TdbxZ63GNcgpiBDLNL8SiuZjKMpt7GkwyIF
mfFpMK1oURVrxBjGLhr6Up7HphMtAezASe6rywIDAQABAoIBACTiFaRKYIaSt0uh
Ydznjeg0+7QIfdqQVljUZ/SPUd1F7u1uori0lbSEvt7Ng/LbQ1GN8ku2lEks5zmD
y8CwCSrhLB2z4g2Pm8lo0WRkTYWEznpgNfNzYZhT+SS2A1ILEUzkRUcPZKCv9pvU
uombxPO1WsJ+WgYPhksm5d2Hf3egzmOnmCwVWtBGuSLN0Dam1z4W+KqsUvE1CaY4
zKxMhNWe6B9atZB1KfqkmVJtQsnk0BH0dtt5gb7CbrrEqnYbBIrDEfC/pQAlsMyC
yVihBCFBhrIH3kl7uSh4NtOX1y5hI15h7eOno88XEQMqEOtdSAoOKE51cJafDLi1
Fs5FdqkCgYEA6r3F65AohOSGe+IXkddVC21hMIkaXVcbuOuGCtNorEm0Ib5O/uah
la3+bUsAe34ntcZhs5NDeGk9gmMM0eLskCvblKSDOOK0Mp4FxGjiMluNdxkgcD/k
ZwP6D8cOrFoNMpIMi7GCXgJgIXlSHB8sn7gCqXlVY+AMEO2GiNWEQckCgYEAtgVd
iTn4rVYSl/72koOaLNhVE0oLhYYeq5vOcc7MrtvAE1jVT4Ass0nWZECsxKcnsSgd
NQAnQZjEzOspzHXFI2PgXRE0FyQKZ/9IgKZBY2NLPIMie2Bb/4h5TK9pJqHS54To
0g8nVKq4W/QNg/6S+5lCSEPIhLHo0uK0g7RvavMCgYBTEcUwj1tHa/eLb38XxTP7
T0HNgzcpQOI2lmJhAl9QWOS97DLYUZVs+p3G33vUN9ilowaAHeUKf3Oc6KBoxf0h
J+QUvgMR5mgOYY147ATf/TYap3GrR3D0Y5viaXbv1w5EjxqRdMfFrOGH9v7vpLiN
7PhEMQPezDJ46xVo5uZewQKBgEKChWIeL7LOr66geGKi+dQHHFcXCEy67DwSi4Xk
ZcBDBdVL8W3CTRMaGN+7DiYxWfyOxtVWAAIlG0wxZa2THvzGgvYe0iTeg3rqughg
N6ZkYtpypEfmttcRfBk8QzTdjp4QX65Z4So702+uJr4jaHvMzX5wXjW2eHeOZR12
8ftnAoGAXsDIdpRN51YajRreYMR5jAPdZmcqSHJM7b2adktPjXQAqtpc3IuRa/NY
XPDrIGjNz2YfzKQxbThu115uZyXNexSJknAltgLxblKiJbtoUv6pnLyPmKiAx7hM
tN60FRTSqV+rAkP20wG6yC+302RKntJK6qT20VdCsU8gwPCcfZE=
-----END RSA PRIVATE KEY-----
)";
const char* const kRsaSpkiPem = R"(-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApufWLxu0ZY5I4uhZRXwh
Q1GsNrHOVHq59bU5fgMHue0/r6KHg52nubDZ+ot2luPxD2RflqnagPicBS349KOc
dkwUYPkp6PYmyFaqFkjg8rRIWmjqdIeGzgMVg/wBc1HN2d07udYMUmsW6fjiBIxc
gnVBrKO6m/y36xeSachas03Sp0w3FYL406aQMs7lUfbvCY3Dhb4OcjbUDeZ+MN68
E/DXAwXiMGACT8p+rbkiC56A+U43GkcD3XCBQ0vX3uBKWxhy7ACKvDTC+TdbxZ63
GNcgpiBDLNL8SiuZjKMpt7GkwyIFmfFpMK1oURVrxBjGLhr6Up7HphMtAezASe6r
ywIDAQAB
-----END PUBLIC KEY-----
)";
const char* const kEcPkcs8Pem = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgYiWuZgwOkOeVD7jl
FSAXyNwAIQaUnPq8FzTYSBARxGKhRANCAARHt+DmBr5oCNVqqjfwlIl+p2apsoCy
sl+zK8xmmAMNRmWSKQW1Y+LgKH/iwcScv/v33Z4T/F0zh6LcMX5Hf3Bt
-----END PRIVATE KEY-----
)";
const char* const kEcSec1Pem = R"(-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIGIlrmYMDpDnlQ+45RUgF8jcACEGlJz6vBc02EgQEcRioAoGCCqGSM49
AwEHoUQDQgAER7fg5ga+aAjVaqo38JSJfqdmqbKAsrJfsyvMZpgDDUZlkikFtWPi
4Ch/4sHEnL/7992eE/xdM4ei3DF+R39wbQ==
-----END EC PRIVATE KEY-----
)";
const char* const kEcSpkiPem = R"(-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAER7fg5ga+aAjVaqo38JSJfqdmqbKA
srJfsyvMZpgDDUZlkikFtWPi4Ch/4sHEnL/7992eE/xdM4ei3DF+R39wbQ==
-----END PUBLIC KEY-----
)";
const char* const kSmallPkcs8Pem = R"(-----BEGIN PRIVATE KEY-----
MIICeAIBADANBgkqhkiG9w0BAQEFAASCAmIwggJeAgEAAoGBAK7WZH1Xj5oDTmEg
/vuwvBGGyJcW+slAmFagAwHla4DWJqlZg+UlxEE8AiKnjktwzu5GvvTP7MZqrCMR
EAo4KcfrjLdn6W2qLiJpl2SDfOD+Msw8Bon4PzclKI753UvhcJ/HHYV0lGXbIknB
t+JUi9t5tXbZuKN+PmnEuvz7eXKfAgMBAAECgYAhb2SWR8lxhZJWps28akb8/w6b
PkzFcfHwFvecRDhz0gBgwHqltrw6UXSDFhHzQWaBUMwx2xWHuFyk9B1iJu1uOiWx
7PZEDHfE7odLOeMvozdVJt4lEBO3dYu6p6BsXIJ0J7emER0CPTX8c6rMlWCp5Xnd
3r1qJ2mZoUvN8mk5aQJBANPS7VR7u9v6uSjVGgayPTXbVSHel6MTueMl8cBqvQf4
OiJ+XzvhOR26W5B5x1rAWtM7rEN6hCeqEReZA0olF5MCQQDTTMtZbLv7rEjUqNhX
xWZk3gZTYkO0pVcd9E/Snvwmmloeh0vKNrYkPyV+KX2HKKPM+9ZMj1vs66BK0Cn5
vIhFAkEAqXAUpbqgJ7OjvtTPj8GtktIShBgwxaK208r7WUZIVQKrRgI+HYDoFi6G
pcezvpUVUdhu0D9FTRENwQmFhx6qfwJBAMydyS3HxiJpK/4Do70bQ5TaDHYi6j28
/yfatpHXs4YOYsa9bf9cC/X90Gjj9NM136lZFqT9Dp/XbVoFSyC0GaECQQC81kA1
uKr9CGdoyT7VuBIDhug7nGZhnSLSABYkiIULJjLjy9Bj4QrKhxyZz6M3QTgVF9fc
kfqxYAPxsJt9rJi5
-----END PRIVATE KEY-----
)";
const char* const kP384Pkcs8Pem = R"(-----BEGIN PRIVATE KEY-----
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDCcY3gyJj7htym4fBIM
OwW7yAxGNZoOTh6QW2qu3XHIfK3k+t5w63yPtkHPnl26LCyhZANiAASU8A+Mu74u
oMec+D0Hf4Cotkn1NwNx4SQc2F5uOpqzvbbMAAxVjjA9Nr6P0RAEbocf7hqW02xd
B/fjSa7r5Hjw7ALLDaMM8PC3h9Kdn8vGrohDbyVamtQcMESw1RLG9cE=
-----END PRIVATE KEY-----
)";
const char* const kRsaEncryptedPem = R"(-----BEGIN ENCRYPTED PRIVATE KEY-----
MIIFNTBfBgkqhkiG9w0BBQ0wUjAxBgkqhkiG9w0BBQwwJAQQpcjAehDmhbWxEjWO
SizfqwICCAAwDAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEC3l9AHgqF0DJoA3
POwvLwsEggTQivrLYLa/Dss0jaWkyZgUrRR+NWlcDVsnGXMy1CkHXelmfdLOQxEj
FqtnYd/bf2hTDWZd+Bwp8XX7sge7p593xYyJvozm82rwAP4pZzjAeQK1hYPOIFEY
t7Irkp+T8FGtGd5xhaIeqW8g89vCBelZxsUHiFTFjeN5ZqmJapjz31zTMqifPh0t
EaGQ9HZ0avZFluRYhN8+kU5sk5gG9hQhG4V7tAomMJlwDJ6Y/Lv4BR3xk9OKRAM3
GEOmTyXCzhTTqHVGMoLRpD5iBsQDBBcTnVGXHRAbf6dqg279RQnKX56FKK53PC2t
2JLxWy6EjTdETB9s17Gfv3S7mMNElMYdrZ9Xu7wrbgq+0sc2hh0xoIsJABxZSmST
mjQo8UsGlIQSy0TU7izYWZ+huURfaCicTCMV0bO5A7kZEOtnlTY2MXAfEc4exhnQ
/WyZx9RReqTd38jNyHZ6ICeue83II7AP7TXJ2piV56+atSBtWEJS+Jg3My34z2wh
iQBm8m46e+JBu8P8KuGGxiZxKDnfE0poogFmDOSDrOCrm2JWKWsObmofo0FH+rsH
0BDc5P3e2q/5jOTR0Oy7eegyzdIxf0KovEhAZ82+Kdzt5ZKLo1VGQoenD+2L9AXU
aHt1IwCa/ks+fDgw1ry1KEX9lz0Y+VUBDQs6eS54tV1wFsSDMJ7W0NDFG3DEDmv+
VMmeUP1Td2DBW5o+W/hdc4AktUDnqTlCfO+OrWV21Il95Yy1OIBWCk3DsnakOck2
S7WDnusVbRgex6p4APfALXlItg0fESVZtHGuOTNBtYRMUQeqKq2XXnfLITj5coTQ
EcgeRNhcYSL7C19mtieOlBtf1YdMsjxEWny+pgFMAwzANGzz9xDHPc+YkSlDLTX4
HkcOkOhPofW0RxTSOXctwpRss76YENpRLCuB1TS2HoGgbJDCVl3da0N2q0UfogQ+
CBY0Z2ka9eS0vr+VWLYMAZUUHhnj0XyfdzwD2KAjzGofEhPnfxWKzPhXrpvwopcR
V+L/9WFGGmppM0yYzxvM0Yb8Cbro26/Eic100jQcYY/wnwJoGdz1X1GNJmglq2CC
Wc5+pkVLjwd/sGSXLjow3NFaWQJD3BLsBTfUP5AyStAeAw+EHgCdPcbcrEoPPHxz
8iCfpNhl+/KwBQ1ont4Dj496PHIRFfDiIQ78kI6iEyR5iXXoW/T8iZ6Qj2ScL+uO
p5ZE5vieLShiq9A09sOvvXHfjVZ7F4PdIwQNNrTu/elWMedH9LoUazbjgsWU9/oA
JT4BmKEPudu6yR71ldjjiFUj7O3T7oGpjc3L3dbAkPJVdS1cZPCFCYANHdk3zdn0
k7ZoTeV0JzTwD1sBzthqPKYnu033xuE5RQvKlQcGXaVOJQ7FEViWVBHTp3uqYiXe
Fyb3dLuSWWVtDRv6onpSqd8ZM3HgK81w3xtEXhl8oTAAUMt00rm4CRaxYL0DA8X4
I86Au+h371gTRPmee84dQD0arix55rpouVKHenvcmjpaE6xWCO7KGK7+SuuGnjKB
il1f4fhWtLIYKIKA5HtKfqnfROMAQJC99waRAWEj5Q+ITZsGOrKVj+wXwjwPCFHX
aX3JbqvccEpTGTwMN3Ukc0LuGVP3CvYe2Bd6Gx3kJMoid8iZXqk3rn0=
-----END ENCRYPTED PRIVATE KEY-----
)";
const char* const kRsaN = R"(pufWLxu0ZY5I4uhZRXwhQ1GsNrHOVHq59bU5fgMHue0_r6KHg52nubDZ-ot2luPxD2RflqnagPicBS349KOcdkwUYPkp6PYmyFaqFkjg8rRIWmjqdIeGzgMVg_wBc1HN2d07udYMUmsW6fjiBIxcgnVBrKO6m_y36xeSachas03Sp0w3FYL406aQMs7lUfbvCY3Dhb4OcjbUDeZ-MN68E_DXAwXiMGACT8p-rbkiC56A-U43GkcD3XCBQ0vX3uBKWxhy7ACKvDTC-TdbxZ63GNcgpiBDLNL8SiuZjKMpt7GkwyIFmfFpMK1oURVrxBjGLhr6Up7HphMtAezASe6ryw)";
const char* const kRsaE = R"(AQAB)";
const char* const kEcX = R"(R7fg5ga-aAjVaqo38JSJfqdmqbKAsrJfsyvMZpgDDUY)";
const char* const kEcY = R"(ZZIpBbVj4uAof-LBxJy_-_fdnhP8XTOHotwxfkd_cG0)";
const char* const kSmallN = R"(rtZkfVePmgNOYSD--7C8EYbIlxb6yUCYVqADAeVrgNYmqVmD5SXEQTwCIqeOS3DO7ka-9M_sxmqsIxEQCjgpx-uMt2fpbaouImmXZIN84P4yzDwGifg_NyUojvndS-Fwn8cdhXSUZdsiScG34lSL23m1dtm4o34-acS6_Pt5cp8)";
const char* const kRsToken = R"(eyJhbGciOiJSUzI1NiIsImtpZCI6InZlY3Rvci1yc2EiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlLnRlc3QiLCJuIjo3LCJzdWIiOiJ1c2VyLTEifQ.oj8_5J1_HlZ2vy58j-Ki5sJboisjKCllnqPgaGXfb7otROe0Ulw5kiJX88seCzXHsTwEnqjB_YBXqEQh4Xw5JOevALhdbWzdubEhlf2vnbPFvpsc6EUJeh3-FXEBYVEtpEeQQPNFmf6qBAsMhLYNLISSnZyCFrVEIDWQ-87bfO_8FZ1iuoCPT4NML1lFJDr6to6-k_Pkc18_tbhjYArGPcWVTYy-eEc6PrUiHJ1Ih5eW5JJLCFitLRNGHZ_VdxoOz4gTdTwkaQfnRIxWpn_aLECExoDazmm04enE4G_KsX794S-ilTurs_RV-JDdHkjb0-s3jdVOmayDbN2u6mx-7A)";
const char* const kEsToken = R"(eyJhbGciOiJFUzI1NiIsImtpZCI6InZlY3Rvci1lYyIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlLnRlc3QiLCJuIjo3LCJzdWIiOiJ1c2VyLTEifQ.Bkx-FIIMUY_JV3rowM-iNjdnJ3GIO5YDoEAOIRUPYMAClNPkI6StMD2J_N728U4nEvjZ0b4L7eKI64s0cZ4EJA)";
const char* const kPayload = R"({"iss":"https://issuer.example.test","n":7,"sub":"user-1"})";
// clang-format on

std::string vector_b64(const std::string& bytes) {
  return roserocket::detail::base64url_encode(bytes);
}

std::string vector_unb64(const std::string& text) {
  std::string out;
  EXPECT_TRUE(jose::base64url_decode(text, out));
  return out;
}

nlohmann::json vector_rsa_jwk() {
  return {{"kty", "RSA"}, {"kid", "vector-rsa"}, {"n", kRsaN}, {"e", kRsaE}};
}

nlohmann::json vector_ec_jwk() {
  return {{"kty", "EC"}, {"crv", "P-256"}, {"kid", "vector-ec"}, {"x", kEcX}, {"y", kEcY}};
}

TEST(CryptoVectors, BackendIsNamed) {
  const std::string name = jose::backend::name();
  EXPECT_TRUE(name == "OpenSSL" || name == "Windows CNG") << name;
}

TEST(CryptoVectors, Rs256TokenVerifiesWithTheKeyInEveryForm) {
  const auto jws = jose::parse_jws(kRsToken);
  EXPECT_EQ(jws.kid, "vector-rsa");
  EXPECT_TRUE(jose::verify(jws, jose::key_from_jwk(vector_rsa_jwk())));
  EXPECT_TRUE(jose::verify(jws, jose::Key::from_public_pem(kRsaSpkiPem)));
  EXPECT_TRUE(jose::verify(jws, jose::Key::from_private_pem(kRsaPkcs8Pem)));
  EXPECT_TRUE(jose::verify(jws, jose::Key::from_private_pem(kRsaPkcs1Pem)));
  EXPECT_FALSE(jose::verify(jws, jose::key_from_jwk(vector_ec_jwk())));
  EXPECT_FALSE(jose::verify(jose::parse_jws(kEsToken), jose::Key::from_public_pem(kRsaSpkiPem)));
}

TEST(CryptoVectors, Es256TokenVerifiesWithTheKeyInEveryForm) {
  const auto jws = jose::parse_jws(kEsToken);
  EXPECT_EQ(jws.signature.size(), 64u);
  EXPECT_TRUE(jose::verify(jws, jose::key_from_jwk(vector_ec_jwk())));
  EXPECT_TRUE(jose::verify(jws, jose::Key::from_public_pem(kEcSpkiPem)));
  EXPECT_TRUE(jose::verify(jws, jose::Key::from_private_pem(kEcPkcs8Pem)));
  EXPECT_TRUE(jose::verify(jws, jose::Key::from_private_pem(kEcSec1Pem)));
  EXPECT_FALSE(jose::verify(jws, jose::key_from_jwk(vector_rsa_jwk())));
}

TEST(CryptoVectors, AlteredTokensOrSignaturesFail) {
  const auto rsa = jose::key_from_jwk(vector_rsa_jwk());
  const auto ec = jose::key_from_jwk(vector_ec_jwk());
  for (const char* vector : {kRsToken, kEsToken}) {
    const std::string token = vector;
    const auto& key = token == kRsToken ? rsa : ec;
    const auto dot = token.find('.');
    const auto last = token.rfind('.');
    // Another payload under the same signature.
    const std::string other =
        token.substr(0, dot) + "." +
        vector_b64(R"({"iss":"https://issuer.example.test","n":8,"sub":"user-1"})") +
        token.substr(last);
    EXPECT_FALSE(jose::verify(jose::parse_jws(other), key));
    std::string sig = vector_unb64(token.substr(last + 1));
    for (const std::size_t at : {std::size_t{0}, sig.size() / 2, sig.size() - 1}) {
      std::string flipped = sig;
      flipped[at] = static_cast<char>(flipped[at] ^ 0x01);
      EXPECT_FALSE(
          jose::verify(jose::parse_jws(token.substr(0, last + 1) + vector_b64(flipped)), key))
          << "bit flipped at " << at;
    }
    // Too short, too long: refused, never read past.
    EXPECT_FALSE(
        jose::verify(jose::parse_jws(token.substr(0, last + 1) + vector_b64(sig.substr(1))), key));
    EXPECT_FALSE(
        jose::verify(jose::parse_jws(token.substr(0, last + 1) + vector_b64(sig + "x")), key));
  }
}

TEST(CryptoVectors, Rs256SigningIsDeterministicAndMatchesTheVector) {
  // RSASSA-PKCS1-v1_5 has no randomness: every backend must produce the vector's exact bytes.
  const auto payload = nlohmann::json::parse(kPayload);
  for (const char* pem : {kRsaPkcs8Pem, kRsaPkcs1Pem}) {
    const auto key = jose::Key::from_private_pem(pem);
    EXPECT_EQ(jose::sign(payload, key, jose::Alg::kRS256, "vector-rsa"), kRsToken);
  }
}

TEST(CryptoVectors, Es256SignaturesVerifyWithTheVectorPublicKey) {
  const auto payload = nlohmann::json::parse(kPayload);
  const auto public_key = jose::key_from_jwk(vector_ec_jwk());
  for (const char* pem : {kEcPkcs8Pem, kEcSec1Pem}) {
    const auto key = jose::Key::from_private_pem(pem);
    const auto token = jose::sign(payload, key, jose::Alg::kES256, "vector-ec");
    const auto jws = jose::parse_jws(token);
    EXPECT_EQ(jws.signature.size(), 64u);
    EXPECT_TRUE(jose::verify(jws, public_key));
    // The signed part is the vector's: same header and payload bytes.
    EXPECT_EQ(jws.signing_input, std::string(kEsToken).substr(0, std::string(kEsToken).rfind('.')));
  }
}

TEST(CryptoVectors, KeysWriteBackTheVectorForms) {
  const auto rsa = jose::Key::from_private_pem(kRsaPkcs1Pem);
  EXPECT_EQ(rsa.public_pem(), kRsaSpkiPem);
  EXPECT_EQ(rsa.private_pem(), kRsaPkcs8Pem) << "PKCS#1 in, PKCS#8 out";
  const auto rsa_jwk = rsa.public_jwk("vector-rsa");
  EXPECT_EQ(rsa_jwk["n"], kRsaN);
  EXPECT_EQ(rsa_jwk["e"], kRsaE);
  EXPECT_EQ(rsa_jwk["alg"], "RS256");

  const auto ec = jose::Key::from_private_pem(kEcSec1Pem);
  EXPECT_EQ(ec.public_pem(), kEcSpkiPem);
  EXPECT_EQ(ec.private_pem(), kEcPkcs8Pem) << "SEC1 in, PKCS#8 out";
  const auto ec_jwk = ec.public_jwk("vector-ec");
  EXPECT_EQ(ec_jwk["x"], kEcX);
  EXPECT_EQ(ec_jwk["y"], kEcY);
  EXPECT_EQ(ec_jwk["alg"], "ES256");

  const auto from_jwk = jose::key_from_jwk(vector_rsa_jwk());
  EXPECT_EQ(from_jwk.public_pem(), kRsaSpkiPem);
  EXPECT_THROW((void)from_jwk.private_pem(), jose::JoseError) << "a public key has no private PEM";
  EXPECT_THROW((void)jose::sign(nlohmann::json::object(), from_jwk, jose::Alg::kRS256, ""),
               jose::JoseError);
}

TEST(CryptoVectors, GeneratedKeysSignVerifyAndRoundTrip) {
  for (const auto alg : {jose::Alg::kRS256, jose::Alg::kES256}) {
    const auto key = jose::Key::generate(alg);
    EXPECT_EQ(key.natural_alg(), alg);
    const auto token = jose::sign(nlohmann::json{{"a", 1}}, key, alg, "g");
    EXPECT_TRUE(jose::verify(jose::parse_jws(token), jose::key_from_jwk(key.public_jwk("g"))));
    const auto again = jose::Key::from_private_pem(key.private_pem());
    EXPECT_TRUE(jose::verify(jose::parse_jws(jose::sign(nlohmann::json{{"b", 2}}, again, alg, "")),
                             jose::Key::from_public_pem(key.public_pem())));
  }
}

TEST(CryptoVectors, UnusableKeysAreRefusedWithoutQuotingThem) {
  const std::vector<std::string> refused = {
      kSmallPkcs8Pem,    // RSA 1024
      kP384Pkcs8Pem,     // another curve
      kRsaEncryptedPem,  // encrypted PKCS#8
      kRsaSpkiPem,       // a public key where a private one is wanted
      std::string(kRsaPkcs8Pem).substr(0, 200) + "\n-----END PRIVATE KEY-----\n",  // cut short
      "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----\n",
      "no key here",
  };
  for (const auto& pem : refused) {
    try {
      (void)jose::Key::from_private_pem(pem);
      ADD_FAILURE() << "accepted unusable key #" << (&pem - refused.data());
    } catch (const jose::JoseError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.find("c2VjcmV0"), std::string::npos);
      EXPECT_EQ(what.find("MII"), std::string::npos) << what;
    }
  }
  EXPECT_THROW((void)jose::Key::from_public_pem(kRsaPkcs8Pem), jose::JoseError);
  // JWKs: a short modulus, an off-curve point.
  auto small = vector_rsa_jwk();
  small["n"] = kSmallN;
  EXPECT_THROW((void)jose::key_from_jwk(small), jose::JoseError);
  auto off_curve = vector_ec_jwk();
  off_curve["y"] = vector_b64(std::string(32, '\x01'));
  EXPECT_THROW((void)jose::key_from_jwk(off_curve), jose::JoseError);
}

TEST(CryptoVectors, DerReaderSurvivesEveryTruncation) {
  // Each prefix of a valid key (and of its DER inside the PEM) is refused cleanly.
  for (const char* pem : {kRsaPkcs8Pem, kEcSec1Pem, kEcSpkiPem}) {
    const std::string text = pem;
    const auto body_start = text.find('\n') + 1;
    const auto body_end = text.find("-----END");
    const std::string label_end = text.substr(body_end);
    const std::string head = text.substr(0, body_start);
    for (std::size_t cut = body_start; cut < body_end; cut += 7) {
      const std::string truncated =
          head + text.substr(body_start, cut - body_start) + "\n" + label_end;
      try {
        if (text.find("PUBLIC") != std::string::npos)
          (void)jose::der::read_public_pem(truncated);
        else
          (void)jose::der::read_private_pem(truncated);
        // A prefix may happen to decode to fewer bytes that still parse only if it is the whole
        // key.
        ADD_FAILURE() << "a truncated key was accepted at " << cut;
      } catch (const jose::JoseError&) {
      }
    }
  }
}

}  // namespace
