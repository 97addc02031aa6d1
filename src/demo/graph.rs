//! Render synthetic events as Microsoft Graph `signIn` objects (v1.0 field order and shapes:
//! nested `status`, `location`, `deviceDetail`; beta's `signInEventTypes` and `userAgent`).

use std::io::{self, Write};

use serde::Serialize;

use super::Event;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GraphSignIn<'a> {
    id: String,
    created_date_time: String,
    user_display_name: &'a str,
    user_principal_name: &'a str,
    user_id: &'a str,
    app_id: &'a str,
    app_display_name: &'a str,
    ip_address: &'a str,
    client_app_used: &'a str,
    user_agent: &'a str,
    correlation_id: String,
    conditional_access_status: &'a str,
    is_interactive: bool,
    sign_in_event_types: [&'a str; 1],
    authentication_protocol: &'a str,
    risk_detail: &'a str,
    risk_level_aggregated: &'a str,
    risk_level_during_sign_in: &'a str,
    risk_state: &'a str,
    risk_event_types: [&'a str; 0],
    resource_display_name: &'a str,
    resource_id: &'a str,
    status: Status<'a>,
    device_detail: DeviceDetail<'a>,
    location: Location<'a>,
    applied_conditional_access_policies: [(); 0],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Status<'a> {
    error_code: i64,
    failure_reason: Option<&'a str>,
    additional_details: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeviceDetail<'a> {
    device_id: &'a str,
    display_name: Option<&'a str>,
    operating_system: &'a str,
    browser: &'a str,
    is_compliant: Option<bool>,
    is_managed: Option<bool>,
    trust_type: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    city: &'a str,
    state: &'a str,
    country_or_region: &'a str,
    geo_coordinates: Geo,
}

#[derive(Serialize)]
struct Geo {
    altitude: Option<f64>,
    latitude: f64,
    longitude: f64,
}

pub(crate) fn id_of(n: u64, salt: u64) -> String {
    let a = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt;
    format!("{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xfff, (n >> 4) & 0xfff, n)
}

/// Write one event as a compact Graph `signIn` JSON object (no trailing newline).
pub fn write_event(w: &mut impl Write, e: &Event) -> io::Result<()> {
    let g = GraphSignIn {
        id: id_of(e.id, 0x5151),
        created_date_time: e.time.to_string(),
        user_display_name: &e.display_name,
        user_principal_name: &e.upn,
        user_id: &e.user_id,
        app_id: e.app_id,
        app_display_name: e.app,
        ip_address: &e.ip,
        client_app_used: e.client_app,
        user_agent: e.user_agent,
        correlation_id: id_of(e.id, 0xC0C0),
        conditional_access_status: if e.error_code == 0 { "success" } else { "notApplied" },
        is_interactive: e.interactive,
        sign_in_event_types: [if e.interactive { "interactiveUser" } else { "nonInteractiveUser" }],
        authentication_protocol: e.auth_protocol,
        risk_detail: "none",
        risk_level_aggregated: "none",
        risk_level_during_sign_in: "none",
        risk_state: "none",
        risk_event_types: [],
        resource_display_name: e.resource,
        resource_id: "00000002-0000-0ff1-ce00-000000000000",
        status: Status {
            error_code: e.error_code,
            failure_reason: (e.error_code != 0).then_some(e.failure_reason),
            additional_details: None,
        },
        device_detail: DeviceDetail {
            device_id: "",
            display_name: None,
            operating_system: e.os,
            browser: e.browser,
            is_compliant: None,
            is_managed: None,
            trust_type: None,
        },
        location: Location {
            city: e.city,
            state: e.state,
            country_or_region: e.country,
            geo_coordinates: Geo { altitude: None, latitude: 35.6895, longitude: 139.6917 },
        },
        applied_conditional_access_policies: [],
    };
    serde_json::to_writer(w, &g).map_err(io::Error::other)
}
