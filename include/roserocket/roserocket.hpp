#pragma once

/// @file
/// @brief Everything a user of the SDK needs, in one include: every public header but the test
/// doubles (`roserocket/testing/mock_transport.hpp`, `roserocket/testing/gmock_transport.hpp`,
/// which a test program includes itself) and the PostgreSQL store
/// (`roserocket/sync/postgres_store.hpp`, in its own library `roserocket::postgresql`).
/// `WinHttpTransport` is declared on Windows only. The test
/// `headers.umbrella_includes_every_public_header` (cmake/check_umbrella_header.cmake) fails when
/// a new public header is not added here.
///
/// Its compile cost is kept near that of nlohmann/json alone, which every SDK header needs:
/// `bench/header_cost.sh` measures it (docs/building.md).

#include "roserocket/auth/authorization_code.hpp"
#include "roserocket/auth/caching_token_provider.hpp"
#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/auth/discovery.hpp"
#include "roserocket/auth/endpoints.hpp"
#include "roserocket/auth/id_token.hpp"
#include "roserocket/auth/loopback_receiver.hpp"
#include "roserocket/auth/oauth.hpp"
#include "roserocket/auth/refresh_token.hpp"
#include "roserocket/auth/token_provider.hpp"
#include "roserocket/auth/token_store.hpp"
#include "roserocket/bulk.hpp"
#include "roserocket/cancellation.hpp"
#include "roserocket/client.hpp"
#include "roserocket/errors.hpp"
#include "roserocket/export.hpp"
#include "roserocket/http/curl_transport.hpp"
#include "roserocket/http/headers.hpp"
#include "roserocket/http/transport.hpp"
#include "roserocket/http/winhttp_transport.hpp"
#include "roserocket/logging.hpp"
#include "roserocket/model/catalog.hpp"
#include "roserocket/model/record.hpp"
#include "roserocket/model/records.hpp"
#include "roserocket/model/values.hpp"
#include "roserocket/model/view.hpp"
#include "roserocket/objects/boards.hpp"
#include "roserocket/objects/events.hpp"
#include "roserocket/objects/objects_api.hpp"
#include "roserocket/objects/user_groups.hpp"
#include "roserocket/paging.hpp"
#include "roserocket/resources/resource.hpp"
#include "roserocket/retry.hpp"
#include "roserocket/sync/change_stream.hpp"
#include "roserocket/sync/checkpoint_store.hpp"
#include "roserocket/sync/file_checkpoint_store.hpp"
#include "roserocket/version.hpp"
#include "roserocket/webhooks/changes_feed.hpp"
#include "roserocket/webhooks/seen_event_store.hpp"
#include "roserocket/webhooks/webhook_event.hpp"
#include "roserocket/webhooks/webhook_receiver.hpp"
#include "roserocket/webhooks/webhooks.hpp"
