#include "persistence.hpp"
#include "json_limits.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core.hpp"

namespace rr_emulator::detail {
namespace {

constexpr int kFormatVersion = 1;

std::string errno_text() {
  return std::strerror(errno);
}

std::string directory_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos)
    return ".";
  if (slash == 0)
    return "/";
  return path.substr(0, slash);
}

void write_all(int fd, const std::string& data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      throw std::runtime_error("cannot write " + path + ": " + errno_text());
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

Json state_to_json(const State& state) {
  Json records = Json::array();
  for (const auto& [id, rec] : state.records) {
    records.push_back({{"id", rec.id},
                       {"objectKey", rec.object_key},
                       {"fields", rec.fields},
                       {"links", rec.links},
                       {"seq", rec.seq}});
  }
  Json events = Json::array();
  for (const auto& ev : state.events)
    events.push_back({{"body", ev.body}, {"seq", ev.seq}});
  Json groups = Json::array();
  for (const auto& g : state.groups) {
    Json members = Json::array();
    for (const auto& m : g.members) {
      members.push_back({{"id", m.id}, {"addedAt", m.added_at}, {"addedBy", m.added_by}});
    }
    groups.push_back(
        {{"id", g.id}, {"name", g.name}, {"description", g.description}, {"members", members}});
  }
  return {{"format", kFormatVersion}, {"records", records},   {"counters", state.counters},
          {"events", events},         {"userGroups", groups}, {"nextSeq", state.next_seq}};
}

State state_from_json(const Json& doc) {
  try {
    if (!doc.is_object() || doc.value("format", 0) != kFormatVersion) {
      throw std::runtime_error("not an rr-emulator data file (format 1)");
    }
    State state;
    for (const auto& r : doc.at("records")) {
      Record rec;
      rec.id = r.at("id").get<std::string>();
      rec.object_key = r.at("objectKey").get<std::string>();
      rec.fields = r.at("fields");
      rec.links = r.at("links").get<std::map<std::string, std::vector<std::string>>>();
      rec.seq = r.at("seq").get<std::uint64_t>();
      state.records.emplace(rec.id, std::move(rec));
    }
    state.counters = doc.at("counters").get<std::map<std::string, std::uint64_t>>();
    for (const auto& e : doc.at("events")) {
      state.events.push_back(Event{e.at("body"), e.at("seq").get<std::uint64_t>()});
    }
    for (const auto& g : doc.at("userGroups")) {
      UserGroup group{g.at("id").get<std::string>(),
                      g.at("name").get<std::string>(),
                      g.value("description", std::string()),
                      {}};
      for (const auto& m : g.at("members")) {
        group.members.push_back(Member{m.at("id").get<std::string>(),
                                       m.value("addedAt", std::string()),
                                       m.value("addedBy", std::string())});
      }
      state.groups.push_back(std::move(group));
    }
    state.next_seq = doc.at("nextSeq").get<std::uint64_t>();
    return state;
  } catch (const Json::exception& e) {
    throw std::runtime_error(std::string("malformed data file: ") + e.what());
  }
}

State load_state(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (::access(path.c_str(), F_OK) != 0)
      return State{};
    throw std::runtime_error("cannot read data file " + path + ": " + errno_text());
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  roserocket::detail::JsonParse outcome = roserocket::detail::JsonParse::kOk;
  Json doc = roserocket::detail::parse_json_limited(buffer.str(), outcome);
  if (outcome != roserocket::detail::JsonParse::kOk) {
    throw std::runtime_error("data file " + path + " is " +
                             roserocket::detail::describe_parse_failure(outcome));
  }
  try {
    return state_from_json(doc);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("data file " + path + ": " + e.what());
  }
}

void save_state(const std::string& path, const State& state) {
  const std::string tmp = path + ".tmp";
  const std::string data = state_to_json(state).dump();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    throw std::runtime_error("cannot create " + tmp + ": " + errno_text());
  try {
    write_all(fd, data, tmp);
    if (::fsync(fd) != 0)
      throw std::runtime_error("cannot fsync " + tmp + ": " + errno_text());
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::close(fd) != 0)
    throw std::runtime_error("cannot close " + tmp + ": " + errno_text());
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    throw std::runtime_error("cannot rename " + tmp + " to " + path + ": " + errno_text());
  }
  // The rename itself must reach the disk too, or a crash could bring back the old file.
  int dir = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

void Core::persist() const {
  if (!options.data_file.empty())
    save_state(options.data_file, state);
}

}  // namespace rr_emulator::detail
