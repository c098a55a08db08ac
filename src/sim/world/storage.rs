//! Storages of resources: Docker volumes (`LocalPersistentVolume`) and files or
//! directories written from Coolify into a container (`LocalFileVolume`).

use crate::sim::ids::Ts;

/// The resource a storage belongs to (Laravel's morph `resource_type` and `resource_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// Index into `World::apps`.
    App(usize),
    /// Index into `World::databases`.
    Database(usize),
    /// The sub-application of a service (index into `World::services`).
    ServiceApp(usize),
}

/// A named Docker volume mounted into the resource's container.
#[derive(Debug, Clone)]
pub(crate) struct Volume {
    pub id: u64,
    pub uuid: String,
    pub name: String,
    pub mount_path: String,
    pub host_path: Option<String>,
    pub owner: Owner,
    pub created_at: Ts,
}

/// A file (or directory) Coolify writes on the server and mounts into the container.
#[derive(Debug, Clone)]
pub(crate) struct FileMount {
    pub id: u64,
    pub uuid: String,
    pub fs_path: String,
    pub mount_path: String,
    /// The file's content: only tokens that may read sensitive data see it.
    pub content: Option<String>,
    pub is_directory: bool,
    pub owner: Owner,
    pub created_at: Ts,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Storages {
    pub volumes: Vec<Volume>,
    pub files: Vec<FileMount>,
}

impl Storages {
    /// The volumes and file mounts of the resources `owns` accepts, each in id order.
    pub(crate) fn of(&self, owns: impl Fn(Owner) -> bool) -> (Vec<&Volume>, Vec<&FileMount>) {
        let mut volumes: Vec<&Volume> = self.volumes.iter().filter(|v| owns(v.owner)).collect();
        let mut files: Vec<&FileMount> = self.files.iter().filter(|f| owns(f.owner)).collect();
        volumes.sort_by_key(|v| v.id);
        files.sort_by_key(|f| f.id);
        (volumes, files)
    }

    pub(crate) fn next_volume_id(&self) -> u64 {
        self.volumes.len() as u64 + 1
    }

    pub(crate) fn next_file_id(&self) -> u64 {
        self.files.len() as u64 + 1
    }
}
