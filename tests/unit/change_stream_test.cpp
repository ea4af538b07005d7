// sync::ChangeStream over the mock transport (exact search shapes, dedupe across the overlap,
// ties on one millisecond, clock skew, hints, reconcile) and sync::FileCheckpointStore.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#ifndef _WIN32  // fork, kill, waitpid and file modes: the POSIX-only checks below
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "roserocket/sync/change_stream.hpp"
#include "roserocket/sync/file_checkpoint_store.hpp"
#include "unit/client_fixture.hpp"

namespace {

using Json = nlohmann::json;
using roserocket::sync::ChangeStream;
using roserocket::sync::ChangeStreamOptions;
using roserocket::sync::CheckpointTransaction;
using namespace std::chrono_literals;

// A store in memory that counts commits and can pretend another worker holds the lease.
class StreamTestStore : public roserocket::sync::CheckpointStore {
 public:
  class Tx : public CheckpointTransaction {
   public:
    explicit Tx(StreamTestStore* store, std::string stream)
        : store_(store), stream_(std::move(stream)) {}
    void save(const std::string& text) override { pending_ = text; }
    void commit() override {
      store_->saved[stream_] = pending_;
      ++store_->commits;
    }

   private:
    StreamTestStore* store_;
    std::string stream_;
    std::string pending_;
  };
  std::optional<std::string> load(const std::string& stream) override {
    auto it = saved.find(stream);
    if (it == saved.end())
      return std::nullopt;
    return it->second;
  }
  std::unique_ptr<CheckpointTransaction> begin(const std::string& stream) override {
    return std::make_unique<Tx>(this, stream);
  }
  bool try_acquire(const std::string&) override { return !held_elsewhere; }
  void release(const std::string&) override { ++releases; }

  std::map<std::string, std::string> saved;
  int commits = 0;
  int releases = 0;
  bool held_elsewhere = false;
};

class Stream : public rr_test::ClientTest {
 protected:
  ChangeStreamOptions opts(int page_size = 100) {
    ChangeStreamOptions o;
    o.object_key = "order";
    o.stream = "erp-orders";
    o.board_id = "board-1";
    o.page_size = page_size;
    o.overlap = 60s;
    return o;
  }
  std::unique_ptr<ChangeStream> stream(int page_size = 100) {
    return std::make_unique<ChangeStream>(client(), store, opts(page_size));
  }
  // updatedAt @p ago before the fake clock's now.
  std::string at(std::chrono::milliseconds ago) const {
    return roserocket::model::format_timestamp(fake.system - ago);
  }
  static Json rec(const std::string& id, int version, const std::string& updated) {
    return {{"id", id}, {"objectKey", "order"}, {"version", version}, {"updatedAt", updated}};
  }
  static Json page(std::vector<Json> records) {
    Json results = Json::array();
    for (auto& r : records)
      results.push_back(std::move(r));
    return {{"total", results.size()}, {"results", results}};
  }
  Json body(std::size_t i) const { return Json::parse(mock->requests().at(i).body); }
  ChangeStream::Handler collect() {
    return [this](const Json& r, CheckpointTransaction&) {
      handled.push_back(r.at("id").get<std::string>() + "@" +
                        std::to_string(r.at("version").get<int>()));
    };
  }

  std::shared_ptr<StreamTestStore> store = std::make_shared<StreamTestStore>();
  std::vector<std::string> handled;
};

TEST_F(Stream, ScansNewestFirstWithoutDateFiltersAndHandsOverOldestFirst) {
  mock->enqueue_json(
      200, page({rec("c", 3, at(10min)), rec("b", 1, at(20min)), rec("a", 7, at(30min))}));
  auto s = stream();
  const auto summary = s->run_once(collect());
  EXPECT_THAT(handled, ::testing::ElementsAre("a@7", "b@1", "c@3"));
  EXPECT_EQ(summary.delivered, 3u);
  EXPECT_EQ(summary.requests, 1u);
  ASSERT_EQ(mock->requests().size(), 1u);
  EXPECT_EQ(mock->requests()[0].url, std::string(kBase) + "/objects/search");
  const Json b = body(0);
  EXPECT_EQ(b["orderByPath"], "updatedAt");
  EXPECT_EQ(b["orderByDirection"], "desc");
  EXPECT_EQ(b["limit"], 100);
  EXPECT_EQ(b["objectKey"], "order");
  EXPECT_EQ(b["boardId"], "board-1");
  EXPECT_EQ(b["filters"], Json::array());
  // One commit per record, then the settled mark moves up to now - overlap.
  EXPECT_EQ(store->commits, 4);
}

TEST_F(Stream, PagesByKeysetCursorAndNeverSendsADateRange) {
  mock->enqueue_json(200, page({rec("d", 1, at(1min)), rec("c", 1, at(2min))}));
  mock->enqueue_json(200, page({rec("b", 1, at(3min)), rec("a", 1, at(4min))}));
  mock->enqueue_json(200, page({}));
  auto s = stream(2);
  EXPECT_EQ(s->run_once(collect()).requests, 3u);
  EXPECT_THAT(handled, ::testing::ElementsAre("a@1", "b@1", "c@1", "d@1"));
  ASSERT_EQ(mock->requests().size(), 3u);
  EXPECT_EQ(
      body(1)["filters"],
      Json::parse(R"([{"filterKey":"id","path":"id","operator":"notIn","value":["d","c"]}])"));
  EXPECT_EQ(body(2)["filters"][0]["value"], Json({"d", "c", "b", "a"}));
  for (std::size_t i = 0; i < 3; ++i) {
    // A named copy: a range over a member of the temporary body(i) would dangle.
    Json sent = body(i);
    for (const auto& f : sent["filters"])
      EXPECT_NE(f["operator"], "between");
    EXPECT_EQ(sent["limit"], 2);
  }
}

TEST_F(Stream, AnIdlePollIsOneRequestAndTheOverlapIsNotHandedOverAgain) {
  mock->enqueue_json(200, page({rec("b", 2, at(10s)), rec("a", 1, at(2h))}));
  auto s = stream();
  s->run_once(collect());
  handled.clear();
  // Next poll: the same records come back (b is inside the overlap); nothing is new.
  fake.system += 5s;
  mock->enqueue_json(200, page({rec("b", 2, at(15s)), rec("a", 1, at(2h + 5s))}));
  const auto idle = s->run_once(collect());
  EXPECT_TRUE(handled.empty());
  EXPECT_EQ(idle.requests, 1u);
  EXPECT_EQ(idle.delivered, 0u);
  EXPECT_EQ(idle.repeats_skipped, 1u);  // b, inside the overlap; a is below the settled mark
  // A new version of b, and c, arrive.
  fake.system += 5s;
  mock->enqueue_json(200,
                     page({rec("c", 1, at(1s)), rec("b", 3, at(2s)), rec("a", 1, at(2h + 10s))}));
  s->run_once(collect());
  EXPECT_THAT(handled, ::testing::ElementsAre("b@3", "c@1"));
}

TEST_F(Stream, ARecordTheIndexShowedLateInsideTheOverlapIsHandedOver) {
  mock->enqueue_json(200, page({rec("new", 1, at(5s))}));
  auto s = stream();
  s->run_once(collect());
  // "late" was written before "new" but became searchable only now (index lag).
  fake.system += 3s;
  mock->enqueue_json(200, page({rec("new", 1, at(8s)), rec("late", 1, at(20s))}));
  s->run_once(collect());
  EXPECT_THAT(handled, ::testing::ElementsAre("new@1", "late@1"));
}

TEST_F(Stream, ServerClockAheadOfOursLosesNothingInsideTheOverlap) {
  // The server stamps 30 s ahead of this machine's clock.
  mock->enqueue_json(200, page({rec("x", 1, at(-30s))}));
  auto s = stream();
  s->run_once(collect());
  fake.system += 2s;
  mock->enqueue_json(200, page({rec("x", 1, at(-28s)), rec("y", 1, at(-25s))}));
  s->run_once(collect());
  EXPECT_THAT(handled, ::testing::ElementsAre("x@1", "y@1"));
}

TEST_F(Stream, TiesOnOneMillisecondSurviveACrashInTheMiddle) {
  const std::string same = at(10min);
  auto tie = [&] {
    return page({rec("t5", 1, same), rec("t4", 1, same), rec("t3", 1, same), rec("t2", 1, same),
                 rec("t1", 1, same), rec("old", 1, at(20min))});
  };
  mock->enqueue_json(200, tie());
  {
    auto s = stream();
    int calls = 0;
    EXPECT_THROW(s->run_once([&](const Json& r, CheckpointTransaction&) {
      if (++calls == 4)
        throw std::runtime_error("crash while handling");
      handled.push_back(r["id"].get<std::string>());
    }),
                 std::runtime_error);
  }
  EXPECT_THAT(handled, ::testing::ElementsAre("old", "t1", "t2"));
  // A new process: the checkpoint knows which of the tied records were handled.
  mock->enqueue_json(200, tie());
  auto again = stream();
  std::vector<std::string> second;
  again->run_once(
      [&](const Json& r, CheckpointTransaction&) { second.push_back(r["id"].get<std::string>()); });
  EXPECT_THAT(second, ::testing::ElementsAre("t3", "t4", "t5"));
}

TEST_F(Stream, AHandlerThatThrowsCommitsNothingAndTheRecordComesAgain) {
  mock->enqueue_json(200, page({rec("a", 1, at(1min))}));
  auto s = stream();
  EXPECT_THROW(
      s->run_once([](const Json&, CheckpointTransaction&) { throw std::runtime_error("no"); }),
      std::runtime_error);
  EXPECT_EQ(store->commits, 0);
  mock->enqueue_json(200, page({rec("a", 1, at(1min))}));
  s->run_once(collect());
  EXPECT_THAT(handled, ::testing::ElementsAre("a@1"));
}

TEST_F(Stream, TheHandlerGetsTheTransactionThatCommitsTheCheckpoint) {
  mock->enqueue_json(200, page({rec("a", 1, at(1min))}));
  auto s = stream();
  int commits_seen_by_handler = -1;
  s->run_once([&](const Json&, CheckpointTransaction& tx) {
    commits_seen_by_handler = store->commits;
    tx.save("the stream overwrites this");
  });
  EXPECT_EQ(commits_seen_by_handler, 0);
  EXPECT_EQ(Json::parse(store->saved.at("erp-orders"))["format"], 1);
}

TEST_F(Stream, ALeaseHeldElsewhereStopsItBeforeAnyRequest) {
  store->held_elsewhere = true;
  auto s = stream();
  try {
    s->run_once(collect());
    FAIL() << "expected an error";
  } catch (const roserocket::Error& e) {
    EXPECT_THAT(e.summary(), ::testing::HasSubstr("another worker"));
  }
  EXPECT_TRUE(mock->requests().empty());
}

TEST_F(Stream, ACorruptCheckpointIsAClearErrorAndStaysAsItWas) {
  store->saved["erp-orders"] = "{\"format\":1,\"objectKey\":\"order\",\"sett";
  auto s = stream();
  try {
    s->run_once(collect());
    FAIL() << "expected an error";
  } catch (const roserocket::Error& e) {
    EXPECT_THAT(e.summary(), ::testing::HasSubstr("stream 'erp-orders'"));
    EXPECT_THAT(e.summary(), ::testing::HasSubstr("nothing was read"));
  }
  EXPECT_TRUE(mock->requests().empty());
  EXPECT_EQ(store->saved["erp-orders"], "{\"format\":1,\"objectKey\":\"order\",\"sett");
  // A checkpoint of another object key under the same name is refused too.
  store->saved["erp-orders"] = R"({"format":1,"objectKey":"task","settled":null,"seen":[]})";
  EXPECT_THROW(s->run_once(collect()), roserocket::Error);
  EXPECT_TRUE(mock->requests().empty());
}

TEST_F(Stream, BadOptionsAreRefusedNamingTheFix) {
  auto with = [&](auto change) {
    auto o = opts();
    change(o);
    return ChangeStream(client(), store, o);
  };
  try {
    with([](ChangeStreamOptions& o) { o.object_key = "ordr"; });
    FAIL();
  } catch (const roserocket::InvalidArgumentError& e) {
    EXPECT_THAT(e.summary(), ::testing::HasSubstr("unknown object key 'ordr'"));
    EXPECT_THAT(e.summary(), ::testing::HasSubstr("order"));
  }
  EXPECT_THROW(with([](ChangeStreamOptions& o) { o.stream.clear(); }),
               roserocket::InvalidArgumentError);
  EXPECT_THROW(with([](ChangeStreamOptions& o) { o.page_size = 0; }),
               roserocket::InvalidArgumentError);
  EXPECT_THROW(with([](ChangeStreamOptions& o) { o.overlap = -1ms; }),
               roserocket::InvalidArgumentError);
  EXPECT_THROW(ChangeStream(client(), nullptr, opts()), roserocket::InvalidArgumentError);
}

TEST_F(Stream, AHintReadsTheRecordByIdAtOnceAndTheScanDoesNotRepeatIt) {
  auto s = stream();
  s->hint("h1");
  mock->enqueue_json(200, rec("h1", 4, at(1s)));
  mock->enqueue_json(200, page({rec("h1", 4, at(1s)), rec("a", 1, at(1h))}));
  const auto summary = s->run_once(collect());
  EXPECT_THAT(handled, ::testing::ElementsAre("h1@4", "a@1"));
  EXPECT_EQ(summary.hints, 1u);
  EXPECT_EQ(summary.repeats_skipped, 1u);
  EXPECT_EQ(mock->requests().at(0).url, std::string(kBase) + "/objects/h1");
  // A hint for a version the scan handled already is not handed over again.
  s->hint("a");
  mock->enqueue_json(200, rec("a", 1, at(1h)));
  mock->enqueue_json(200, page({rec("h1", 4, at(1s))}));
  s->run_once(collect());
  EXPECT_EQ(handled.size(), 2u);
}

TEST_F(Stream, ReconcileReportsTheIdsTheServerNoLongerHas) {
  auto s = stream(2);
  // Page 1: k1 found; k2 missing from the search but a read finds it (index lag).
  mock->enqueue_json(200, page({rec("k1", 1, at(1h))}));
  mock->enqueue_json(200, rec("k2", 1, at(1s)));
  // Page 2: gone1 missing, and a read says 404.
  mock->enqueue_json(200, page({}));
  mock->enqueue_json(404, {{"statusCode", 404}, {"message", "not found"}});
  const auto gone = s->reconcile({"k1", "k2", "gone1"});
  EXPECT_THAT(gone, ::testing::ElementsAre("gone1"));
  EXPECT_EQ(body(0)["filters"],
            Json::parse(R"([{"filterKey":"id","path":"id","operator":"in","value":["k1","k2"]}])"));
  EXPECT_EQ(mock->requests().at(1).url, std::string(kBase) + "/objects/k2");
  EXPECT_EQ(mock->requests().at(3).url, std::string(kBase) + "/objects/gone1");
}

TEST_F(Stream, RunFollowsUntilCancelledAndAHintWakesIt) {
  auto s = stream();
  mock->set_fallback([this](const roserocket::HttpRequest& r) {
    roserocket::HttpResponse response;
    response.status = 200;
    response.headers.set("Content-Type", "application/json");
    if (r.url.find("/objects/search") != std::string::npos)
      response.body = page({}).dump();
    else
      response.body = rec("w", 1, at(1s)).dump();
    return response;
  });
  roserocket::CancellationSource source;
  std::thread follower([&] {
    s->run([&](const Json&, CheckpointTransaction&) { source.cancel(); }, source.token());
  });
  s->hint("w");
  follower.join();
  EXPECT_TRUE(source.is_cancelled());
}

// --- FileCheckpointStore ---

class FileStore : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("rr-file-store-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    path = (dir / "checkpoints.json").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  static void put(roserocket::sync::CheckpointStore& store, const std::string& stream,
                  const std::string& text) {
    auto tx = store.begin(stream);
    tx->save(text);
    tx->commit();
  }
  std::filesystem::path dir;
  std::string path;
};

TEST_F(FileStore, KeepsCheckpointsPerStreamInAnOwnerOnlyFile) {
  {
    roserocket::sync::FileCheckpointStore store(path);
    EXPECT_EQ(store.load("a"), std::nullopt);
    ASSERT_TRUE(store.try_acquire("a"));
    ASSERT_TRUE(store.try_acquire("b"));
    put(store, "a", "one");
    put(store, "b", "two");
    put(store, "a", "three");
  }
  roserocket::sync::FileCheckpointStore again(path);
  EXPECT_EQ(again.load("a"), "three");
  EXPECT_EQ(again.load("b"), "two");
#ifndef _WIN32
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
#endif
  // No temporary file is left beside it.
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    files += entry.path().string().find(".json.") == std::string::npos ? 0 : 1;
  EXPECT_EQ(files, 1u);  // the lock file only
}

TEST_F(FileStore, ATransactionDestroyedWithoutCommitChangesNothing) {
  roserocket::sync::FileCheckpointStore store(path, {/*fsync=*/false});
  ASSERT_TRUE(store.try_acquire("s"));
  put(store, "s", "kept");
  {
    auto tx = store.begin("s");
    tx->save("dropped");
  }
  EXPECT_EQ(store.load("s"), "kept");
}

TEST_F(FileStore, OneHolderAtATimeAndBeginNeedsTheLease) {
  roserocket::sync::FileCheckpointStore first(path);
  roserocket::sync::FileCheckpointStore second(path);
  EXPECT_THROW(first.begin("s"), roserocket::Error);
  ASSERT_TRUE(first.try_acquire("s"));
  EXPECT_TRUE(first.try_acquire("s"));
  EXPECT_FALSE(second.try_acquire("s"));
  first.release("s");
  EXPECT_TRUE(second.try_acquire("s"));
  EXPECT_FALSE(first.try_acquire("s"));
}

#ifndef _WIN32  // POSIX-only by nature: a forked child killed with SIGKILL
TEST_F(FileStore, TheLeaseOfAProcessThatDiedIsFree) {
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    roserocket::sync::FileCheckpointStore holder(path);
    const char ok = holder.try_acquire("s") ? 'y' : 'n';
    (void)!::write(ready[1], &ok, 1);
    ::pause();
    ::_exit(0);
  }
  char got = 0;
  ASSERT_EQ(::read(ready[0], &got, 1), 1);
  EXPECT_EQ(got, 'y');
  roserocket::sync::FileCheckpointStore store(path);
  EXPECT_FALSE(store.try_acquire("s"));
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(ready[0]);
  ::close(ready[1]);
  EXPECT_TRUE(store.try_acquire("s"));
}
#endif

TEST_F(FileStore, ATornOrForeignFileIsAClearErrorAndIsLeftAsItIs) {
  for (const std::string& text : {std::string("{\"format\":1,\"streams\":{\"s\":\"ab"),
                                  std::string(""), std::string("{\"s\":\"x\"}")}) {
    {
      std::ofstream out(path, std::ios::trunc);
      out << text;
    }
    roserocket::sync::FileCheckpointStore store(path);
    try {
      (void)store.load("s");
      FAIL() << "expected an error for: " << text;
    } catch (const roserocket::Error& e) {
      EXPECT_THAT(e.summary(), ::testing::HasSubstr(path));
      EXPECT_THAT(e.summary(), ::testing::HasSubstr("damaged"));
    }
    std::ifstream in(path);
    std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(after, text);
  }
  // A directory where the file should be: unreadable, also an error (never "nothing saved").
  std::filesystem::remove(path);
  std::filesystem::create_directories(path);
  roserocket::sync::FileCheckpointStore store(path);
  EXPECT_THROW((void)store.load("s"), roserocket::Error);
}

TEST_F(FileStore, AnEmptyPathIsRefused) {
  EXPECT_THROW(roserocket::sync::FileCheckpointStore(""), roserocket::InvalidArgumentError);
}

}  // namespace
