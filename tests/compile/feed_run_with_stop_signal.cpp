// The deprecated `ChangesFeed::run(handler, StopSignal&)` (issue 23, ADR 0022): still compiles,
// and warns naming the replacement.
#include <roserocket/webhooks/changes_feed.hpp>

void follow(roserocket::ChangesFeed& feed, roserocket::StopSignal& stop) {
  feed.run([](const roserocket::Event&) {}, stop);
}

void follow_with_token(roserocket::ChangesFeed& feed, const roserocket::CancellationToken& token) {
  feed.run([](const roserocket::Event&) {}, token);
}
