//! Azure Data Explorer (Kusto REST API): `POST {cluster}/v2/rest/query` with
//! `{"db": …, "csl": …}`, answered with v2 frames; the same KQL as Log Analytics, for tenants
//! that export sign-in logs to a cluster. The token's resource is the cluster URL; the caller
//! needs the database viewer role.

use serde_json::Value;

use super::loganalytics::{Table, primary_table};
use super::{Body, FetchError, Requester};

/// Run a query against a database.
pub async fn query(req: &Requester, cluster: &str, database: &str, kql: &str) -> Result<Table, FetchError> {
    let url = super::join(cluster, "v2/rest/query");
    let body =
        serde_json::json!({ "db": database, "csl": kql, "properties": { "Options": { "request_readonly": true } } });
    let bytes = req.send(&url, Body::Json(&body)).await?;
    let v: Value = serde_json::from_slice(&bytes)
        .map_err(|e| FetchError::Failed(format!("the Kusto response is not JSON: {e}")))?;
    let completion = v.as_array().and_then(|frames| {
        frames.iter().find(|f| f.get("FrameType").and_then(Value::as_str) == Some("DataSetCompletion"))
    });
    // A query that fails after it started streaming reports it in a DataSetCompletion frame.
    if let Some(f) = completion.filter(|f| f.get("HasErrors").and_then(Value::as_bool) == Some(true)) {
        let errors = f.get("OneApiErrors").map(Value::to_string).unwrap_or_default();
        return Err(FetchError::Failed(format!("the cluster reported errors: {errors}")));
    }
    primary_table(&v)
}
