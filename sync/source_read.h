// sync/source_read.h — reads of a copy's source object during a transfer (sync/transfer.h)
// or a queue part task (sync/queue_parts.h): conditional on the listed ETag (If-Match), so
// bytes of two versions are never mixed, with a source deleted or changed since it was
// listed reported in one clear line. Stateless; safe from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "remotes/remote.h"
#include "sync/transfer.h"

namespace cpsync {

class BandwidthLimiter;

// "remote:bucket/key" (or "remote:key" without a bucket), for messages.
std::string describe_object(const Remote& r, const ObjectRef& ref);

// st in one clear line when it means the source was deleted (not_found; a failed If-Match
// on a deleted object, 412 on some servers, is told apart by a stat) or changed (conflict)
// since it was listed; any other status as it is.
Status source_gone_or_changed(const Status& st, Remote& src, const ObjectRef& ref);

// Reads exactly len bytes of src at offset, passing them to sink as they arrive; more or
// fewer bytes than asked also mean the source changed underneath. bw, when set, is charged
// for every byte received. told, when set, gets what the response said of the object.
// Every error is already in source_gone_or_changed's words.
Status read_checked(Remote& src, const ObjectRef& ref, const ObjectInfo& info, uint64_t offset,
                    uint64_t len, const std::function<Status(const char*, size_t)>& sink,
                    BandwidthLimiter* bw, ObjectInfo* told = nullptr);

// read_checked into buf, which holds len bytes, charging o.bw_down. A zero-length read sends
// nothing (a stat fills told, when set).
Status read_exact(Remote& src, const ObjectRef& ref, const ObjectInfo& info, uint64_t offset,
                  char* buf, size_t len, const TransferOptions& o, ObjectInfo* told = nullptr);

}  // namespace cpsync
