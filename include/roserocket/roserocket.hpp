#pragma once

/// @file
/// @brief Everything a user of the SDK needs, in one include.

#include "roserocket/auth/authorization_code.hpp"
#include "roserocket/auth/caching_token_provider.hpp"
#include "roserocket/auth/client_credentials.hpp"
#include "roserocket/auth/loopback_receiver.hpp"
#include "roserocket/auth/oauth.hpp"
#include "roserocket/auth/refresh_token.hpp"
#include "roserocket/auth/token_provider.hpp"
#include "roserocket/auth/token_store.hpp"
#include "roserocket/client.hpp"
#include "roserocket/errors.hpp"
#include "roserocket/http/curl_transport.hpp"
#include "roserocket/http/transport.hpp"
#include "roserocket/logging.hpp"
#include "roserocket/model/catalog.hpp"
#include "roserocket/model/record.hpp"
#include "roserocket/model/records.hpp"
#include "roserocket/model/values.hpp"
#include "roserocket/objects/boards.hpp"
#include "roserocket/objects/events.hpp"
#include "roserocket/objects/objects_api.hpp"
#include "roserocket/objects/user_groups.hpp"
#include "roserocket/resources/resource.hpp"
#include "roserocket/retry.hpp"
#include "roserocket/version.hpp"
