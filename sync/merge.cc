// sync/merge.cc — merge join with order checks.
#include "sync/merge.h"

#include <string>

namespace cpsync {
namespace {

// Wraps a stream and checks strict ordering; keeps only the previous key.
class Checked {
 public:
  Checked(EntryStream& s, const char* side) : s_(s), side_(side) {}
  Status advance() {
    if (cur_) prev_.assign(cur_->key);
    cur_ = s_.next();
    if (!cur_) {
      Status st = s_.status();
      return st.ok() ? st : st.with_context(std::string("listing ") + side_);
    }
    if (started_ && !(prev_ < cur_->key))
      return Status{Errc::corrupt, std::string("listing ") + side_ + " is out of order at '" +
                                       cur_->key + "' after '" + prev_ +
                                       "'; stopping without changes"};
    started_ = true;
    return Status::OK();
  }
  const ObjectInfo* cur() const { return cur_; }

 private:
  EntryStream& s_;
  const char* side_;
  const ObjectInfo* cur_ = nullptr;
  std::string prev_;
  bool started_ = false;
};

}  // namespace

Status merge_sorted(EntryStream& src, EntryStream& dst, MergeVisitor& v) {
  Checked s(src, "source"), d(dst, "destination");
  CPSYNC_RETURN_IF_ERROR(s.advance());
  CPSYNC_RETURN_IF_ERROR(d.advance());
  while (s.cur() || d.cur()) {
    if (s.cur() && (!d.cur() || s.cur()->key < d.cur()->key)) {
      CPSYNC_RETURN_IF_ERROR(v.src_only(*s.cur()));
      CPSYNC_RETURN_IF_ERROR(s.advance());
    } else if (!s.cur() || d.cur()->key < s.cur()->key) {
      CPSYNC_RETURN_IF_ERROR(v.dst_only(*d.cur()));
      CPSYNC_RETURN_IF_ERROR(d.advance());
    } else {
      CPSYNC_RETURN_IF_ERROR(v.both(*s.cur(), *d.cur()));
      CPSYNC_RETURN_IF_ERROR(s.advance());
      CPSYNC_RETURN_IF_ERROR(d.advance());
    }
  }
  return Status::OK();
}

}  // namespace cpsync
