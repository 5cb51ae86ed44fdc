import AzureKit
import Hummingbird

/// ARM's cloud metadata document, `GET /metadata/endpoints?api-version=…`, in Azure's shape but with LocalCloud's
/// own endpoints: clients such as `az cloud register --endpoint-resource-manager` read it to learn where to log in,
/// which token audiences to ask for and where Resource Manager is.
///
/// As on Azure, API versions from 2019-05-01 up to (not including) 2022-09-01 answer a list of clouds (here the
/// one), while 2022-09-01 and later, and the older versions, answer the one cloud's object; `az cloud register` asks
/// for 2022-09-01. The document needs no token.
struct CloudMetadata: Sendable {
    let cloud: CloudServices

    /// Whether a request is for the metadata document rather than for storage account `metadata`'s container
    /// `endpoints`: the path is exactly `/metadata/endpoints`, it carries `api-version` (which the storage services
    /// never use) and no storage version, signature or Shared Key, and it arrives on the public listener, not on a
    /// private endpoint's address.
    func matches(_ request: Request, parts: RequestParts, context: CloudRequestContext) -> Bool {
        // Clients join the Resource Manager URL (ending in `/`) and `/metadata/…`, so an empty segment may lead.
        let segments = parts.segments.filter { !$0.isEmpty }.map { $0.lowercased() }
        guard segments == ["metadata", "endpoints"], request.method == .get || request.method == .head,
            parts.value("api-version") != nil, parts.value("sig") == nil, request.header("x-ms-version") == nil,
            request.header("authorization")?.hasPrefix("SharedKey") != true
        else { return false }
        guard let local = context.localAddress, let address = cloud.publicAddress else { return true }
        // Private endpoints listen on other loopback addresses on the public port; those serve storage only.
        let isPrivateEndpointListener = local.port == address.port && local.host != address.host
        return !isPrivateEndpointListener
    }

    func respond(to request: Request, parts: RequestParts, base: String) -> Response {
        let version = parts.value("api-version") ?? ""
        let document = self.document(base: base)
        let listsClouds = version >= "2019-05-01" && version < "2022-09-01"
        return .json(.ok, listsClouds ? .array([document]) : document)
    }

    /// The metadata of the cloud LocalCloud is, with `base` (`https://HOST:PORT`) as its every endpoint.
    func document(base: String) -> AzureJSON {
        let root = base + "/"
        // Azure's order (clients take the first as the management resource), then LocalCloud's own.
        let known = ["https://management.core.windows.net/", "https://management.azure.com/"]
        let audiences = (known + cloud.resourceManagerAudiences.subtracting(known).sorted()).map(AzureJSON.string)
        return [
            "name": "LocalCloud",
            "portal": .string(base),
            "resourceManager": .string(root),
            "authentication": [
                "loginEndpoint": .string(cloud.authorityBase), "audiences": .array(audiences),
                "tenant": .string(cloud.identity.settings.tenantID), "identityProvider": "AAD",
            ],
            "suffixes": [
                "storage": "core.windows.net", "keyVaultDns": "vault.azure.net", "acrLoginServer": "azurecr.io",
                "sqlServerHostname": "database.windows.net",
                "azureDataLakeStoreFileSystem": "azuredatalakestore.net",
                "azureDataLakeAnalyticsCatalogAndJob": "azuredatalakeanalytics.net",
                "mhsmDns": "managedhsm.azure.net", "storageSyncEndpointSuffix": "afs.azure.net",
                "mysqlServerEndpoint": "mysql.database.azure.com",
                "postgresqlServerEndpoint": "postgres.database.azure.com",
                "mariadbServerEndpoint": "mariadb.database.azure.com", "synapseAnalytics": "dev.azuresynapse.net",
                "attestationEndpoint": "attest.azure.net",
            ],
            "graph": "https://graph.windows.net/", "graphAudience": "https://graph.windows.net/",
            "microsoftGraphResourceId": "https://graph.microsoft.com/",
            "batch": "https://batch.core.windows.net/", "media": "https://rest.media.azure.net",
            "sqlManagement": "https://management.core.windows.net:8443/",
            "activeDirectoryDataLake": "https://datalake.azure.net/",
            "vmImageAliasDoc":
                "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/main/arm-compute/quickstart-templates/aliases.json",
            "appInsightsResourceId": "https://api.applicationinsights.io",
            "appInsightsTelemetryChannelResourceId": "https://dc.applicationinsights.azure.com/v2/track",
            "attestationResourceId": "https://attest.azure.net",
            "synapseAnalyticsResourceId": "https://dev.azuresynapse.net",
            "logAnalyticsResourceId": "https://api.loganalytics.io",
            "ossrDbmsResourceId": "https://ossrdbms-aad.database.windows.net",
        ]
    }
}
