//! A service's sub-application (`ServiceApplication`), embedded in `GET /services/{uuid}`
//! (with its `id`) and listed by `GET /services/{uuid}/applications` (without it, in
//! `serializeApiResponse` order).

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::sim::world::records::Service;

pub(crate) struct ServiceAppView<'a> {
    pub s: &'a Service,
    pub with_id: bool,
}

impl Serialize for ServiceAppView<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let s = self.s;
        let status = if s.status.starts_with("running") {
            "running:healthy"
        } else {
            "exited"
        };
        let mut m = ser.serialize_map(None)?;
        if self.with_id {
            m.serialize_entry("id", &s.sub_id)?;
        }
        m.serialize_entry("uuid", &s.sub_uuid)?;
        m.serialize_entry("name", &s.service_type)?;
        m.serialize_entry("description", &())?;
        m.serialize_entry("exclude_from_status", &false)?;
        m.serialize_entry("fqdn", &s.fqdn)?;
        m.serialize_entry("human_name", &())?;
        m.serialize_entry("image", &s.image)?;
        m.serialize_entry("is_gzip_enabled", &true)?;
        m.serialize_entry("is_log_drain_enabled", &false)?;
        m.serialize_entry("is_stripprefix_enabled", &true)?;
        m.serialize_entry("last_online_at", &s.updated_at)?;
        m.serialize_entry("required_fqdn", &false)?;
        m.serialize_entry("service_id", &s.id)?;
        m.serialize_entry("status", status)?;
        m.serialize_entry("created_at", &s.created_at)?;
        m.serialize_entry("updated_at", &s.updated_at)?;
        m.end()
    }
}
