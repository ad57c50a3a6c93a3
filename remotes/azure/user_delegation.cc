// remotes/azure/user_delegation.cc — Get User Delegation Key (see user_delegation.h).
#include "remotes/azure/user_delegation.h"

#include <tinyxml2.h>

#include "core/crypto.h"
#include "core/time_format.h"

namespace cpsync::azure {

std::string key_info_xml(TimePoint start, TimePoint expiry) {
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<KeyInfo><Start>" + format_iso8601(start) +
         "</Start><Expiry>" + format_iso8601(expiry) + "</Expiry></KeyInfo>";
}

Result<UserDelegationKey> parse_user_delegation_key(std::string_view xml) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS)
    return Status{Errc::corrupt, "user delegation key: malformed XML"};
  const tinyxml2::XMLElement* root = doc.FirstChildElement("UserDelegationKey");
  if (!root) return Status{Errc::corrupt, "user delegation key: no <UserDelegationKey>"};
  auto field = [root](const char* name, std::string& out) {
    const tinyxml2::XMLElement* e = root->FirstChildElement(name);
    out = e && e->GetText() ? e->GetText() : "";
    return !out.empty();
  };
  UserDelegationKey k;
  std::string value;
  for (auto [name, out] : {std::pair<const char*, std::string*>{"SignedOid", &k.signed_oid},
                           {"SignedTid", &k.signed_tid},
                           {"SignedStart", &k.signed_start},
                           {"SignedExpiry", &k.signed_expiry},
                           {"SignedService", &k.signed_service},
                           {"SignedVersion", &k.signed_version},
                           {"Value", &value}}) {
    if (!field(name, *out))
      return Status{Errc::corrupt, std::string("user delegation key: no <") + name + ">"};
  }
  if (!base64_decode(value, k.value) || k.value.empty())
    return Status{Errc::corrupt, "user delegation key: <Value> is not base64"};
  return k;
}

Result<UserDelegationKey> get_user_delegation_key(const AzureClient& client, TimePoint start,
                                                  TimePoint expiry) {
  const std::string body = key_info_xml(start, expiry);
  AzureCall c;
  c.method = "POST";
  c.op = "user delegation key";
  c.query = {{"restype", "service"}, {"comp", "userdelegationkey"}};
  c.headers = {{"Content-Type", "application/xml"}};
  c.body = body.data();
  c.body_size = body.size();
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client.send(c));
  return parse_user_delegation_key(r.body);
}

}  // namespace cpsync::azure
