// rr listen: a change stream (roserocket::sync::ChangeStream) per object key whose records are
// POSTed to a local URL as vendor-shaped webhook envelopes, one line per delivery; the checkpoint
// advances only after the URL answered 2xx (docs/cli.md, docs/sync.md).

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>

#include "cli.hpp"
#include "roserocket/http/curl_transport.hpp"
#include "roserocket/sync/change_stream.hpp"
#include "roserocket/sync/file_checkpoint_store.hpp"

namespace rr_cli {
namespace {

struct ListenArgs {
  std::string forward_to;
  std::vector<std::string> objects{"order"};
  std::string checkpoint;
  bool once = false;
  std::string secret;
  int attempts = 5;
  std::string backoff = "1s";
  std::string poll_interval = "2s";
  std::string overlap = "2m";
  int page_size = 100;
};

// Ends a delivery that Ctrl-C, SIGTERM or --timeout interrupted (its record stays unacknowledged).
struct ListenStopped {};

// A delivery the forward URL did not take within --attempts; exit code 1.
class ListenForwardFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where deliveries go: the URL as given (never printed: it may carry a secret) and host:port.
struct ListenTarget {
  std::string url;    // what is POSTed to, the --secret token added
  std::string shown;  // "127.0.0.1:8080": the only part rr prints
};

bool listen_url_safe(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~';
  });
}

ListenTarget listen_target(const std::string& url, const std::string& secret) {
  const auto bad = [](const std::string& why) {
    return UsageError("listen: --forward-to: " + why +
                      "; give an http:// or https:// URL such as "
                      "http://localhost:8080/hooks/rose-rocket");
  };
  std::string scheme;
  for (const char* s : {"http://", "https://"}) {
    if (url.rfind(s, 0) == 0)
      scheme = s;
  }
  if (scheme.empty())
    throw bad("not an http:// or https:// URL");
  for (const char c : url) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0 ||
        std::iscntrl(static_cast<unsigned char>(c)) != 0)
      throw bad("the URL holds a space or control character");
  }
  if (url.find('#') != std::string::npos)
    throw bad("a #fragment is never sent to a server");
  const auto end = url.find_first_of("/?", scheme.size());
  std::string authority = url.substr(scheme.size(), end - scheme.size());
  const auto at = authority.rfind('@');
  if (at != std::string::npos)
    authority = authority.substr(at + 1);  // user:password@ is never printed
  const std::string host = authority.substr(0, authority.rfind(':'));
  if (host.empty() || host == "[]")
    throw bad("the URL names no host");
  if (authority.find(':') != std::string::npos && authority.back() != ']') {
    const std::string port = authority.substr(authority.rfind(':') + 1);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }) ||
        std::stoi(port) == 0 || std::stoi(port) > 65535)
      throw bad("the port is not a number from 1 to 65535");
  }
  ListenTarget target{url, authority};
  if (!secret.empty()) {
    // The same rule as WebhookReceiver's: the secret travels in the URL as it is.
    if (secret.size() < 16 || !listen_url_safe(secret))
      throw UsageError(
          "listen: --secret (or RR_LISTEN_SECRET) must be at least 16 characters from A-Z, a-z, "
          "0-9, '-', '_', '.' and '~' (the value is not shown)");
    target.url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("token=") + secret;
  }
  return target;
}

// "financialLineItem" -> "Financial Line Item": the words of a vendor event name.
std::string listen_event_noun(const std::string& object_key) {
  std::string noun;
  for (std::size_t i = 0; i < object_key.size(); ++i) {
    const char c = object_key[i];
    if (i == 0) {
      noun += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else if (std::isupper(static_cast<unsigned char>(c)) != 0) {
      noun += ' ';
      noun += c;
    } else {
      noun += c;
    }
  }
  return noun;
}

std::uint64_t listen_fnv1a(const std::string& text, std::uint64_t hash) {
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// A UUID-shaped event id that is the same for every delivery of one (object, id, version), so
// that a receiver's dedupe by event id drops a redelivery (RFC 9562 version 8: custom bits).
std::string listen_event_id(const std::string& object_key, const std::string& id,
                            const std::string& version) {
  const std::string name = object_key + "\n" + id + "\n" + version;
  std::uint64_t high = listen_fnv1a(name, 0xcbf29ce484222325ULL);
  std::uint64_t low = listen_fnv1a(name, 0x84222325cbf29ce4ULL ^ high);
  high = (high & ~0xf000ULL) | 0x8000ULL;                       // version 8
  low = (low & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  char text[37];
  std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(high >> 32),
                static_cast<unsigned long long>((high >> 16) & 0xffff),
                static_cast<unsigned long long>(high & 0xffff),
                static_cast<unsigned long long>(low >> 48),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

std::string listen_string(const Json& record, const char* key) {
  const auto it = record.find(key);
  return it != record.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// "3" from the record's version, or its updatedAt when it has none (as the stream versions it).
std::string listen_version(const Json& record) {
  const auto it = record.find("version");
  if (it != record.end() && it->is_number_integer())
    return std::to_string(it->get<std::int64_t>());
  return listen_string(record, "updatedAt");
}

// The envelope the platform POSTs to a webhook destination, built from one changed record:
// {id, type, refId, ownerId, orgId, objectKey, createdAt, json}.
Json listen_envelope(const std::string& object_key, const Json& record) {
  const std::string id = listen_string(record, "id");
  const std::string version = listen_version(record);
  const auto v = record.find("version");
  const std::string created_at = listen_string(record, "createdAt");
  const bool created =
      (v != record.end() && v->is_number_integer())
          ? v->get<std::int64_t>() == 1
          : !created_at.empty() && created_at == listen_string(record, "updatedAt");
  const auto field = [&record](const char* key) {
    const auto it = record.find(key);
    return it == record.end() ? Json() : *it;
  };
  return {{"id", listen_event_id(object_key, id, version)},
          {"type", listen_event_noun(object_key) + (created ? " Created" : " Updated")},
          {"refId", id},
          {"ownerId", field("updatedBy")},
          {"orgId", field("orgId")},
          {"objectKey", object_key},
          {"createdAt", field("updatedAt")},
          {"json", record}};
}

std::string listen_seconds(std::chrono::milliseconds delay) {
  if (delay.count() % 1000 == 0)
    return std::to_string(delay.count() / 1000) + "s";
  return std::to_string(delay.count()) + "ms";
}

int run_listen(Context& context, const ListenArgs& args) {
  const ListenTarget target = listen_target(args.forward_to, args.secret);
  const auto backoff = parse_duration(args.backoff);
  const auto poll_interval = parse_duration(args.poll_interval);
  std::string checkpoint = args.checkpoint;
  if (checkpoint.empty()) {
    context.ensure_config_dir();
    checkpoint = context.config_dir() + "/" + context.globals.profile + ".listen";
  }
  std::vector<std::string> objects;
  for (const auto& o : args.objects) {
    if (!o.empty() && std::find(objects.begin(), objects.end(), o) == objects.end())
      objects.push_back(o);
  }
  if (objects.empty())
    throw UsageError("listen: --objects: give at least one object key, e.g. order,task");

  auto store = std::make_shared<roserocket::sync::FileCheckpointStore>(checkpoint);
  roserocket::Client client = context.client();
  std::vector<std::unique_ptr<roserocket::sync::ChangeStream>> streams;
  for (const auto& object_key : objects) {
    roserocket::sync::ChangeStreamOptions options;
    options.object_key = object_key;
    options.stream = "rr-listen-" + object_key;
    options.overlap = parse_duration(args.overlap);
    options.page_size = args.page_size;
    // Every object key and the checkpoint file are checked before anything is read or sent.
    try {
      (void)store->load(options.stream);
    } catch (const roserocket::Error& e) {
      throw UsageError("listen: --checkpoint: " + e.summary());
    }
    try {
      streams.push_back(
          std::make_unique<roserocket::sync::ChangeStream>(client, store, std::move(options)));
    } catch (const roserocket::InvalidArgumentError& e) {
      throw UsageError("listen: --objects: " + std::string(e.what()));
    }
  }

  roserocket::CurlTransportOptions transport_options;
  transport_options.connect_timeout = std::chrono::seconds(5);
  transport_options.no_proxy = "*";  // a local handler: never through a proxy
  roserocket::CurlTransport transport(transport_options);

  // Ctrl-C, SIGTERM and --timeout end the run between deliveries, or a delivery's wait.
  InterruptStop stop(context.deadline);
  const auto deadline = context.deadline.token();
  const auto token = stop.token();

  std::string names;
  for (const auto& o : objects)
    names += (names.empty() ? "" : ",") + o;
  std::cerr << "rr listen: forwarding " << names << " changes to " << target.shown
            << (args.once ? " until caught up" : " (Ctrl-C to stop)") << "; checkpoint "
            << checkpoint << "\n";

  auto deliver = [&](const std::string& object_key, const Json& record) {
    // A reader that went away (rr listen | head) ends the run before the next delivery.
    if (!std::cout)
      throw std::runtime_error(
          "listen: cannot write the output any more; the checkpoint is before the next record");
    const Json envelope = listen_envelope(object_key, record);
    std::string name = listen_string(record, "fullId");
    if (name.empty())
      name = listen_string(record, "id");
    const std::string what = object_key + " " + name + " v" + listen_version(record);
    roserocket::HttpRequest request;
    request.method = roserocket::HttpMethod::kPost;
    request.url = target.url;
    request.headers.set("Content-Type", "application/json");
    request.headers.set("User-Agent", std::string("rr-listen/") + ROSEROCKET_VERSION_STRING);
    request.body = envelope.dump();
    request.cancellation = token;
    auto delay = backoff;
    for (int attempt = 1;; ++attempt) {
      const auto start = std::chrono::steady_clock::now();
      int status = 0;
      std::string failure;
      try {
        status = transport.send(request).status;
      } catch (const roserocket::CancelledError&) {
        throw ListenStopped{};
      } catch (const roserocket::TimeoutError&) {
        failure = "no answer in time";
      } catch (const roserocket::TransportError& e) {
        failure = e.request_may_have_been_sent() ? "the connection broke" : "cannot connect";
      }
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
      const bool ok = failure.empty() && status >= 200 && status < 300;
      std::cout << "-> " << (failure.empty() ? std::to_string(status) : "---") << " " << what
                << " (" << (failure.empty() ? std::to_string(ms) + " ms" : failure) << ")";
      if (ok || attempt >= args.attempts) {
        std::cout << std::endl;
      } else {
        std::cout << ", again in " << listen_seconds(delay) << std::endl;
      }
      if (ok)
        return;  // the stream commits the checkpoint past this record now
      if (attempt >= args.attempts) {
        const std::string answer = failure.empty()
                                       ? target.shown + " answered " + std::to_string(status)
                                       : "--forward-to " + target.shown + ": " + failure;
        throw ListenForwardFailed("listen: " + answer + " (attempt " + std::to_string(attempt) +
                                  " of " + std::to_string(args.attempts) + " for " + what +
                                  "); it stays unacknowledged, the checkpoint is before it: "
                                  "run rr listen again once the handler answers 2xx");
      }
      if (token.wait_for(delay))
        throw ListenStopped{};
      delay = std::min<std::chrono::milliseconds>(delay * 2, std::chrono::seconds(30));
    }
  };

  return run_stream_command("listen", stop, deadline, [&] {
    try {
      for (;;) {
        for (std::size_t i = 0; i < streams.size() && !token.is_cancelled(); ++i) {
          const std::string& object_key = objects[i];
          streams[i]->run_once(
              [&](const Json& record, roserocket::sync::CheckpointTransaction&) {
                deliver(object_key, record);
              },
              token);
        }
        if (args.once || token.is_cancelled() || token.wait_for(poll_interval))
          break;
      }
    } catch (const ListenStopped&) {
      // Interrupted during a delivery: that record stays unacknowledged.
    } catch (const roserocket::CancelledError&) {
      // Interrupted during a search.
    } catch (const roserocket::DeadlineExceededError&) {
      if (!token.is_cancelled())
        throw;
    }
  });
}

}  // namespace

void add_listen_command(CLI::App& app, Context& context) {
  auto args = std::make_shared<ListenArgs>();
  auto* listen = app.add_subcommand(
      "listen",
      "forward each changed record to a local URL as a webhook delivery (develop a webhook "
      "handler without a public URL)");
  listen
      ->add_option("--forward-to", args->forward_to,
                   "the URL to POST each delivery to, e.g. http://localhost:8080/hooks")
      ->required();
  listen
      ->add_option("--objects", args->objects,
                   "object keys to follow, comma-separated (default order)")
      ->delimiter(',');
  listen->add_option("--checkpoint", args->checkpoint,
                     "the checkpoint file (default: <config dir>/<profile>.listen)");
  listen->add_flag("--once", args->once, "catch up, then exit (default: follow until Ctrl-C)");
  listen
      ->add_option("--secret", args->secret,
                   "append ?token=SECRET to the URL, for a WebhookReceiver's secret "
                   "(prefer RR_LISTEN_SECRET; never printed)")
      ->envname("RR_LISTEN_SECRET");
  listen
      ->add_option("--attempts", args->attempts,
                   "tries per delivery before rr listen stops with exit code 1 (default 5)")
      ->check(CLI::Range(1, 100));
  listen->add_option("--backoff", args->backoff,
                     "wait before the second try, doubled after each (up to 30s; default 1s)");
  listen->add_option("--poll-interval", args->poll_interval,
                     "wait between polls when following (default 2s)");
  listen->add_option("--overlap", args->overlap,
                     "how far back each poll looks again, above index lag plus clock skew "
                     "(default 2m)");
  listen->add_option("--page-size", args->page_size, "records per request (default 100)")
      ->check(CLI::Range(1, 1000));
  context.actions[listen] = [&context, args] { return run_listen(context, *args); };
}

}  // namespace rr_cli
