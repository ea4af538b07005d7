#pragma once

/// @file
/// @brief `PagedRange<T>`: a lazy input range over a listing fetched page by page.
///
/// ```
/// for (const auto& order : client.orders().search_all(request)) { ... }
/// ```
///
/// One template serves every listing of the SDK (`search_all` of the facades and `ObjectsApi`,
/// `Events::list_all`, `UserGroups::search_all`, `Boards::list_all`). The listing is one
/// function, "fetch the next page given the last one"; the range calls it when its iterator runs
/// past the end of the page it holds, and never before.
///
/// A deadline for a whole walk: give every page the token of one `CancellationSource` with
/// `cancel_after` (`RequestOptions::cancellation`). When it runs out, the next page (or the one
/// in flight) throws `DeadlineExceededError`, whose message names the walk's operation and says
/// how many pages and items the walk had handed over (ADR 0022).

#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "roserocket/errors.hpp"

namespace roserocket {

/// @brief A lazy, single-pass range of @p T fetched page by page.
///
/// `begin()` fetches the first page; incrementing past the last item of a page fetches the next
/// one. Errors of a fetch (`ApiError`, `TransportError`, ...) are thrown from `begin()` or from
/// `operator++`, and the range stays where it was: nothing already yielded is lost. A
/// `DeadlineExceededError` of a page says how far the walk got ("walk stopped after 3 pages (300
/// items handed over): ...").
///
/// An input range: iterate it once (`begin()` may be called once; copies of iterators share one
/// position). Thread safety: a range and its iterators are not synchronised; use one from one
/// thread at a time. Different ranges may be used from different threads at once.
template <class T>
class PagedRange {
 public:
  /// @brief Replaces @p page (the last page, empty on the first call) with the next page.
  /// @return false when there is no next page (then @p page is ignored). A page may come back
  /// empty while more follow (a walk that skipped what it had already yielded).
  using NextPage = std::function<bool(std::vector<T>& page)>;

  /// @brief The input iterator: owns (a share of) the current page.
  class iterator {
   public:
    /// An input iterator: one pass, each item read once.
    using iterator_category = std::input_iterator_tag;
    /// The item type.
    using value_type = T;
    /// Distance type (required of iterators; not meaningful for one pass).
    using difference_type = std::ptrdiff_t;
    /// Pointer to a const item.
    using pointer = const T*;
    /// Reference to a const item, valid until the iterator moves.
    using reference = const T&;

    /// @brief The end iterator.
    iterator() = default;

    /// @brief The current item.
    reference operator*() const { return state_->page[state_->index]; }
    /// @brief The current item's members.
    pointer operator->() const { return &state_->page[state_->index]; }

    /// @brief Moves to the next item, fetching the next page when this one is used up.
    /// @throw whatever the page source throws (the iterator then stays on its item).
    iterator& operator++() {
      if (++state_->index >= state_->page.size())
        state_->advance();
      if (state_->done)
        state_.reset();
      return *this;
    }
    /// @brief Advances; input iterators return nothing useful from the post-increment.
    void operator++(int) { ++*this; }

    /// @brief Equal when both are the end, or both are the same walk.
    friend bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.state_ == b.state_;
    }
    /// @brief The negation of `==`.
    friend bool operator!=(const iterator& a, const iterator& b) noexcept { return !(a == b); }

   private:
    friend class PagedRange;
    struct State {
      NextPage next;
      std::vector<T> page;
      std::size_t index = 0;
      bool done = false;
      // Fetches until a page with items arrives or the source says it is finished. On a throw the
      // index is put back on the last item, so the iterator still points at something valid.
      void advance() {
        try {
          while (true) {
            if (!next(page)) {
              done = true;
              return;
            }
            index = 0;
            if (!page.empty())
              return;
          }
        } catch (...) {
          index = page.empty() ? 0 : page.size() - 1;
          throw;
        }
      }
    };
    explicit iterator(std::shared_ptr<State> state) : state_(std::move(state)) {}
    std::shared_ptr<State> state_;
  };

  /// @brief A range over the pages @p next produces.
  explicit PagedRange(NextPage next) : next_(counting_pages(std::move(next))) {}

  /// @brief Fetches the first page. Call once.
  /// @throw whatever the page source throws.
  iterator begin() {
    auto state = std::make_shared<typename iterator::State>();
    state->next = std::move(next_);
    state->advance();
    if (state->done)
      return iterator();
    return iterator(std::move(state));
  }
  /// @brief The end of the range.
  iterator end() { return iterator(); }

  /// @brief Walks the whole range into a vector (the eager form).
  std::vector<T> to_vector() {
    std::vector<T> out;
    for (auto it = begin(); it != end(); ++it)
      out.push_back(*it);
    return out;
  }

  /// @brief A range of @p convert applied to every item of this one, page by page.
  template <class Convert>
  auto map(Convert convert) && -> PagedRange<decltype(convert(std::declval<T&&>()))> {
    using U = decltype(convert(std::declval<T&&>()));
    auto source = std::make_shared<NextPage>(std::move(next_));
    auto buffer = std::make_shared<std::vector<T>>();
    // The source already counts its pages: no second count (and no second prefix).
    return PagedRange<U>(
        [source, buffer, convert](std::vector<U>& page) {
          if (!(*source)(*buffer))
            return false;
          page.clear();
          page.reserve(buffer->size());
          for (auto& item : *buffer)
            page.push_back(convert(std::move(item)));
          return true;
        },
        typename PagedRange<U>::Counted{});
  }

 private:
  template <class>
  friend class PagedRange;
  struct Counted {};
  PagedRange(NextPage next, Counted) : next_(std::move(next)) {}

  // Wraps @p next so that a DeadlineExceededError of a page says how far the walk got.
  static NextPage counting_pages(NextPage next) {
    struct Progress {
      std::size_t pages = 0;
      std::size_t items = 0;
    };
    auto progress = std::make_shared<Progress>();
    return [next = std::move(next), progress](std::vector<T>& page) {
      try {
        const bool more = next(page);
        if (more) {
          ++progress->pages;
          progress->items += page.size();
        }
        return more;
      } catch (const DeadlineExceededError& e) {
        const std::string prefix = "walk stopped after ";
        if (e.summary().compare(0, prefix.size(), prefix) == 0)
          throw;  // an inner walk already said so
        throw DeadlineExceededError(
            prefix + std::to_string(progress->pages) + " page" + (progress->pages == 1 ? "" : "s") +
                " (" + std::to_string(progress->items) + " item" +
                (progress->items == 1 ? "" : "s") + " handed over): " + e.summary(),
            e.context(), e.request_may_have_been_sent(), e.attempts());
      }
    };
  }

  NextPage next_;
};

}  // namespace roserocket
