//! JSON of storages: `{"persistent_storages": [...], "file_storages": [...]}`, each item a
//! model as Eloquent writes it (columns in table order, `id` kept; a file's `content` only
//! for tokens that may read sensitive data). A service's list tags each item with the
//! sub-resource it belongs to (`resource_type` becomes `application` or `database`, and
//! `resource_uuid` is added).

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::sim::world::World;
use crate::sim::world::storage::{FileMount, Owner, Volume};

/// `resource_type`, `resource_id` and the uuid of a storage's owner.
fn morph(w: &World, owner: Owner) -> (&'static str, u64, &str) {
    match owner {
        Owner::App(i) => ("App\\Models\\Application", w.apps[i].id, &w.apps[i].uuid),
        Owner::Database(i) => {
            let d = &w.databases[i];
            (d.kind.model(), d.id, &d.uuid)
        }
        Owner::ServiceApp(i) => {
            let s = &w.services[i];
            ("App\\Models\\ServiceApplication", s.sub_id, &s.sub_uuid)
        }
    }
}

/// How a service's list renames the owner's type.
fn service_part(owner: Owner) -> &'static str {
    match owner {
        Owner::Database(_) => "database",
        Owner::App(_) | Owner::ServiceApp(_) => "application",
    }
}

pub(crate) struct StoragesView<'a> {
    pub w: &'a World,
    pub volumes: Vec<&'a Volume>,
    pub files: Vec<&'a FileMount>,
    pub sensitive: bool,
    /// The list of a service (its sub-resources' storages).
    pub of_service: bool,
}

impl Serialize for StoragesView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let item = |owner| Item {
            w: self.w,
            owner,
            of_service: self.of_service,
        };
        let volumes: Vec<VolumeView<'_>> = self
            .volumes
            .iter()
            .map(|v| VolumeView {
                v,
                at: item(v.owner),
            })
            .collect();
        let files: Vec<FileView<'_>> = self
            .files
            .iter()
            .map(|f| FileView {
                f,
                at: item(f.owner),
                sensitive: self.sensitive,
            })
            .collect();
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("persistent_storages", &volumes)?;
        m.serialize_entry("file_storages", &files)?;
        m.end()
    }
}

/// Where one storage belongs, and how to say it.
struct Item<'a> {
    w: &'a World,
    owner: Owner,
    of_service: bool,
}

impl Item<'_> {
    fn resource_type(&self) -> &'static str {
        if self.of_service {
            service_part(self.owner)
        } else {
            morph(self.w, self.owner).0
        }
    }
    fn resource_id(&self) -> u64 {
        morph(self.w, self.owner).1
    }
    fn write_uuid<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        if self.of_service {
            m.serialize_entry("resource_uuid", morph(self.w, self.owner).2)?;
        }
        Ok(())
    }
}

struct VolumeView<'a> {
    v: &'a Volume,
    at: Item<'a>,
}

impl Serialize for VolumeView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.v;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &v.id)?;
        m.serialize_entry("name", &v.name)?;
        m.serialize_entry("mount_path", &v.mount_path)?;
        m.serialize_entry("host_path", &v.host_path)?;
        m.serialize_entry("container_id", &())?;
        m.serialize_entry("resource_type", self.at.resource_type())?;
        m.serialize_entry("resource_id", &self.at.resource_id())?;
        m.serialize_entry("created_at", &v.created_at)?;
        m.serialize_entry("updated_at", &v.created_at)?;
        m.serialize_entry("is_preview_suffix_enabled", &true)?;
        m.serialize_entry("uuid", &v.uuid)?;
        self.at.write_uuid(&mut m)?;
        m.end()
    }
}

struct FileView<'a> {
    f: &'a FileMount,
    at: Item<'a>,
    sensitive: bool,
}

impl Serialize for FileView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let f = self.f;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &f.id)?;
        m.serialize_entry("uuid", &f.uuid)?;
        m.serialize_entry("fs_path", &f.fs_path)?;
        m.serialize_entry("mount_path", &f.mount_path)?;
        if self.sensitive {
            m.serialize_entry("content", &f.content)?;
        }
        m.serialize_entry("resource_type", self.at.resource_type())?;
        m.serialize_entry("resource_id", &self.at.resource_id())?;
        m.serialize_entry("created_at", &f.created_at)?;
        m.serialize_entry("updated_at", &f.created_at)?;
        m.serialize_entry("is_directory", &f.is_directory)?;
        m.serialize_entry("chown", &())?;
        m.serialize_entry("chmod", &())?;
        m.serialize_entry("is_based_on_git", &false)?;
        m.serialize_entry("is_preview_suffix_enabled", &true)?;
        m.serialize_entry("is_host_file", &false)?;
        self.at.write_uuid(&mut m)?;
        m.end()
    }
}
