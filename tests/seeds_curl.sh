#!/usr/bin/env bash
# The seeds' own curl requests, pointed at rr-emulator with a token from its token endpoint:
# create a customer by PATCH (the getting-started body), get it, PUT, PATCH by id, DELETE; each
# must answer the status code and the fields the seeds show. Also: a read-only field is a 400.
#   usage: seeds_curl.sh RR_EMULATOR_EXE
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/start_emulator.sh"
start_emulator "$1"
api="$EMULATOR_URL/api/v2/platformModel"
failures=0
passes=0

# request METHOD URL [BODY]: sets STATUS and BODY_OUT.
request() {
  local out
  if [ $# -ge 3 ]; then
    out="$(curl -sS --location --request "$1" "$2" --header 'Content-Type: application/json' \
      --header "Authorization: Bearer $TOKEN" --data-raw "$3" -w '\n%{http_code}')"
  else
    out="$(curl -sS --location --request "$1" "$2" --header "Authorization: Bearer $TOKEN" \
      -w '\n%{http_code}')"
  fi
  STATUS="${out##*$'\n'}"
  BODY_OUT="${out%$'\n'*}"
}

# expect WHAT STATUS PATTERN...: the last request answered STATUS and its body matches each
# extended regular expression.
expect() {
  local what="$1" status="$2" ok=1
  shift 2
  [ "$STATUS" = "$status" ] || { echo "FAIL $what: status $STATUS, expected $status"; ok=0; }
  for pattern in "$@"; do
    grep -Eq -- "$pattern" <<<"$BODY_OUT" || { echo "FAIL $what: body lacks /$pattern/"; ok=0; }
  done
  if [ $ok = 1 ]; then
    echo "ok   $what ($STATUS)"
    passes=$((passes + 1))
  else
    echo "     body: ${BODY_OUT:0:300}"
    failures=$((failures + 1))
  fi
}

TOKEN="$(curl -sS "$EMULATOR_URL/oauth/token" \
  --data 'grant_type=client_credentials&client_id=demo-client-id&client_secret=demo-client-secret&audience=https://roserocket.com' \
  | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')"
[ -n "$TOKEN" ] || { echo "FAIL no token from $EMULATOR_URL/oauth/token"; exit 1; }

# Getting started: "Create a new customer" (PATCH with boardId, objectKey and json) -> 200.
request PATCH "$api/objects" '{"boardId":"af1c0e83-5253-517d-aeff-e25a37f59beb","objectKey":"customer","json":{
   "name": "XYZ Freight Corp",
   "address": "123 Main St",
   "city": "New York",
   "state": "New York",
   "postal": "10001",
   "currency": "usd"}}'
expect "create customer by PATCH" 200 '"id": *"[0-9a-f-]{36}"' '"objectKey": *"customer"' \
  '"fullId": *"CUST-[0-9]+"' '"version": *1[,}]' '"status": *"active"'
id="$(sed -n 's/.*"id": *"\([0-9a-f-]\{36\}\)".*/\1/p' <<<"$BODY_OUT" | head -n 1)"

# "Retrieve customer information": GET /objects/{{objectID}} -> 200 with every field sent.
request GET "$api/objects/$id"
expect "get customer" 200 "\"id\": *\"$id\"" '"name": *"XYZ Freight Corp"' '"externalId": *null' \
  '"orgId": *"[0-9a-f-]{36}"' '"createdAt": *"[0-9T:.-]+Z"' '"createdBy"' '"updatedAt"' \
  '"updatedBy"' '"version": *1[,}]'

# The operations guide's GET with objectKey= in the query (ignored by the server).
request GET "$api/objects/$id?objectKey=customer"
expect "get customer with objectKey query" 200 "\"id\": *\"$id\""

# "Update Customer record", PUT -> 200, version 2.
request PUT "$api/objects/$id" '{
    "objectKey": "customer",
    "json": {
        "name": "ABC Produce Co"
    }
}'
expect "update by PUT" 200 '"name": *"ABC Produce Co"' '"version": *2[,}]' '"fullId": *"CUST-'

# PATCH with id: update the specific fields -> 200.
request PATCH "$api/objects" "{
    \"id\": \"$id\",
    \"objectKey\": \"customer\",
    \"json\": {
        \"name\": \"ABC Produce Co\",
        \"companyEmail\": \"ops@abc-produce.example\",
        \"defaultCurrency\": \"USD\"
    }
}"
expect "update by PATCH with id" 200 "\"id\": *\"$id\"" '"companyEmail": *"ops@abc-produce.example"' \
  '"defaultCurrency": *"USD"'

# The operations guide's create with business hours: formattedBusinessHours is derived.
request PATCH "$api/objects" '{"objectKey":"customer","json":{"name":"ABC Produce Co",
  "customerType":"broker","busHoursMonStartAt":32400,"busHoursMonEndAt":32401}}'
expect "create with business hours" 200 '"customerType": *"broker"' \
  '"formattedBusinessHours": *"Monday - 09:00-09:00'

# A read-only field is refused.
request PUT "$api/objects/$id" '{"objectKey":"customer","json":{"fullId":"CUST-999"}}'
expect "write read-only fullId" 400 '"statusCode": *400' 'fullId'

# "Delete Customer record" -> 200 with the deleted record; then 404.
request DELETE "$api/objects/$id"
expect "delete customer" 200 "\"id\": *\"$id\"" '"objectKey": *"customer"'
request GET "$api/objects/$id"
expect "get deleted customer" 404 '"statusCode": *404'

# Without a token: 401 with the NestJS body.
TOKEN=not-a-token
request GET "$api/objects/$id"
expect "missing or bad token" 401 '"statusCode": *401'

echo "$passes passed, $failures failed"
[ "$failures" = 0 ]
