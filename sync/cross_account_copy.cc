// sync/cross_account_copy.cc — the process-wide memory of refused cross-account copies.
#include "sync/cross_account_copy.h"

#include <mutex>
#include <set>

#include "core/log.h"

namespace cpsync {
namespace {

std::mutex g_mu;
std::set<std::string> g_refused;  // "<src endpoint_id>\n<bucket>\n<dst endpoint_id>"

std::string pair_key(const Remote& src, const std::string& bucket, const Remote& dst) {
  return src.endpoint_id() + "\n" + bucket + "\n" + dst.endpoint_id();
}

}  // namespace

bool try_cross_account_copy(const Remote& src, const std::string& src_bucket, const Remote& dst) {
  if (!same_service_other_account(src, dst)) return false;
  std::lock_guard<std::mutex> lock(g_mu);
  return !g_refused.count(pair_key(src, src_bucket, dst));
}

void note_cross_account_refusal(const Remote& src, const std::string& src_bucket, const Remote& dst,
                                const Status& refusal) {
  bool first = false;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    first = g_refused.insert(pair_key(src, src_bucket, dst)).second;
  }
  if (first)
    log_info(dst.name() + ": cannot copy server-side from " + src.name() + ":" + src_bucket + " (" +
             refusal.message + "); streaming its objects through this machine");
}

}  // namespace cpsync
