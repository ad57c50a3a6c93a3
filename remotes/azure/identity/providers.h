// remotes/azure/identity/providers.h — where an Azure remote without a key or SAS gets its
// bearer token, in DefaultAzureCredential's order: a service principal from the remote's
// keys or the environment (tenant + client_id + client_secret, else a certificate: a PEM
// file with its private key, read at every refresh, signing a client assertion), workload
// identity (AKS: AZURE_FEDERATED_TOKEN_FILE, re-read at every refresh, sent as a client
// assertion), then
// managed identity (App Service / Container Apps through IDENTITY_ENDPOINT and
// IDENTITY_HEADER, else the VM's instance metadata endpoint, never through a proxy).
// Every endpoint is overridable as the SDKs allow (AZURE_AUTHORITY_HOST; the metadata
// host through AZURE_POD_IDENTITY_AUTHORITY_HOST), which is how tests point them at
// 127.0.0.1.
#pragma once

#include <memory>
#include <string>

#include "remotes/azure/identity/token.h"

namespace cpsync::azure {

struct IdentitySettings {
  std::string remote;          // for messages
  std::string authority_host;  // https://login.microsoftonline.com
  std::string tenant_id;
  std::string client_id;
  std::string client_secret;                // service principal secret; never printed
  std::string client_certificate_path;      // PEM: private key + certificate
  std::string client_certificate_password;  // of an encrypted key; never printed
  std::string federated_token_file;         // workload identity
  bool managed_identity_only = false;       // use_msi: skip the service principal forms
  std::string msi_client_id;                // a user-assigned identity
  std::string imds_host;                    // http://169.254.169.254
  std::string identity_endpoint;            // App Service / Container Apps
  std::string identity_header;              // never printed
};

// The settings from the remote's keys, filled from the environment where a key is unset:
// AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH,
// AZURE_CLIENT_CERTIFICATE_PASSWORD, AZURE_FEDERATED_TOKEN_FILE,
// AZURE_AUTHORITY_HOST, AZURE_POD_IDENTITY_AUTHORITY_HOST, IDENTITY_ENDPOINT,
// IDENTITY_HEADER.
IdentitySettings identity_from_env(IdentitySettings from_keys);

// The first form the settings configure (see the header comment); the managed identity
// when none is.
std::unique_ptr<TokenProvider> make_token_provider(const IdentitySettings& s);

// What make_token_provider would use, from the settings alone (no request, no secret):
// "service principal (secret), tenant T, client C", "service principal (certificate FILE),
// tenant T, client C", "workload identity, tenant T, client C, token file F", "managed identity (instance metadata http://169.254.169.254)" or
// "managed identity (IDENTITY_ENDPOINT <url>)", with ", client <id>" for a user-assigned one.
std::string planned_source(const IdentitySettings& s);

}  // namespace cpsync::azure
