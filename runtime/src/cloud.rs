//! National clouds: the Microsoft Graph deployments a client can talk to, each with its own
//! service root and token audience.

/// A Microsoft Graph deployment. [`ClientBuilder::national_cloud`](crate::ClientBuilder::national_cloud)
/// points a client at one: the base URL's host changes (its path, such as `/v1.0`, stays)
/// and tokens are requested for that host's `/.default` scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NationalCloud {
    /// The global service, `graph.microsoft.com`.
    Global,
    /// US Government L4, `graph.microsoft.us`.
    UsGovL4,
    /// US Government L5 (DOD), `dod-graph.microsoft.us`.
    UsGovL5Dod,
    /// Microsoft Graph China operated by 21Vianet, `microsoftgraph.chinacloudapi.cn`.
    China,
}

impl NationalCloud {
    /// The service's origin, `https://<host>`.
    pub fn origin(self) -> &'static str {
        match self {
            NationalCloud::Global => "https://graph.microsoft.com",
            NationalCloud::UsGovL4 => "https://graph.microsoft.us",
            NationalCloud::UsGovL5Dod => "https://dod-graph.microsoft.us",
            NationalCloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The token scope for the whole service, `https://<host>/.default`.
    pub fn scope(self) -> String {
        format!("{}/.default", self.origin())
    }
}
