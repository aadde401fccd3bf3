//! Locations by URL: a local path, a `file://` URL or an object-store prefix,
//! all reached through `object_store` (the version DataFusion re-exports, so
//! the same stores can later be registered with a session).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use datafusion::object_store::local::LocalFileSystem;
use datafusion::object_store::path::Path as ObjPath;
use datafusion::object_store::{
    ObjectMeta, ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload,
};
use futures::TryStreamExt;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

/// A place that holds files: a source of drops or the warehouse.
#[derive(Clone)]
pub struct Location {
    /// The location as a URL, for messages and records.
    pub url: String,
    pub store: Arc<dyn ObjectStore>,
    /// The prefix inside the store.
    pub prefix: ObjPath,
    /// The folder on disk, when the location is local.
    pub local_root: Option<PathBuf>,
}

impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Location({})", self.url)
    }
}

impl Location {
    /// Opens a location given as a path or URL. Relative paths are taken
    /// from `base`. With `create`, a local folder is made when missing.
    pub fn open(spec: &str, base: &Path, create: bool) -> anyhow::Result<Location> {
        let local = if let Some(rest) = spec.strip_prefix("file://") {
            Some(PathBuf::from(rest))
        } else if spec.contains("://") {
            None
        } else {
            Some(base.join(spec))
        };
        match local {
            Some(path) => {
                if create {
                    std::fs::create_dir_all(&path)
                        .with_context(|| format!("cannot create folder {}", path.display()))?;
                } else if !path.is_dir() {
                    bail!("{}: no such folder", path.display());
                }
                let root = path
                    .canonicalize()
                    .with_context(|| format!("cannot open folder {}", path.display()))?;
                let store = LocalFileSystem::new_with_prefix(&root)?;
                Ok(Location {
                    url: format!("file://{}", root.display()),
                    store: Arc::new(store),
                    prefix: ObjPath::from(""),
                    local_root: Some(root),
                })
            }
            None => {
                let url =
                    url::Url::parse(spec).with_context(|| format!("{spec}: not a valid URL"))?;
                let (store, prefix) = open_remote(&url)?;
                Ok(Location {
                    url: spec.trim_end_matches('/').to_string(),
                    store,
                    prefix,
                    local_root: None,
                })
            }
        }
    }

    /// The URL DataFusion reads `rel` (a file, or a folder when it ends in
    /// `/`) at, once [`Location::register`] has given it this store.
    pub fn table_url(&self, rel: &str) -> String {
        let trailing = if rel.ends_with('/') { "/" } else { "" };
        match &self.local_root {
            Some(root) => format!(
                "{}{trailing}",
                root.join(rel.trim_end_matches('/')).display()
            ),
            None => {
                let base = self.store_url();
                format!("{base}/{}{trailing}", self.path(rel))
            }
        }
    }

    /// `scheme://bucket`: the part of the URL that names the store.
    fn store_url(&self) -> String {
        match url::Url::parse(&self.url) {
            Ok(u) => format!("{}://{}", u.scheme(), u.host_str().unwrap_or("")),
            Err(_) => self.url.clone(),
        }
    }

    /// Lets a DataFusion session read and write this location by URL.
    /// Local folders need nothing: DataFusion knows the file system.
    pub fn register(&self, ctx: &datafusion::prelude::SessionContext) -> anyhow::Result<()> {
        if self.local_root.is_none() {
            let url = url::Url::parse(&self.store_url())
                .with_context(|| format!("{}: not a valid URL", self.url))?;
            ctx.register_object_store(&url, Arc::clone(&self.store));
        }
        Ok(())
    }

    /// Checks that the backend refuses a second create-only put of one path
    /// (`probe`, a name no other run uses): the warehouse's commits and its
    /// lock depend on it. Leaves nothing.
    pub async fn check_create_only(&self, probe: &str) -> anyhow::Result<()> {
        let probe = probe.to_string();
        let first = self.put_create(&probe, b"1".to_vec()).await;
        let second = match &first {
            Ok(true) => self.put_create(&probe, b"2".to_vec()).await,
            _ => Ok(true),
        };
        let _ = self.delete(&probe).await;
        let unsupported = |e: &anyhow::Error| {
            e.chain().any(|c| {
                matches!(
                    c.downcast_ref::<datafusion::object_store::Error>(),
                    Some(
                        datafusion::object_store::Error::NotImplemented { .. }
                            | datafusion::object_store::Error::NotSupported { .. }
                    )
                )
            })
        };
        match (first, second) {
            (Ok(true), Ok(false)) => Ok(()),
            (Err(e), _) | (_, Err(e)) if unsupported(&e) => Err(e).with_context(|| {
                format!(
                    "{} does not support create-only writes (PUT with If-None-Match), \
                     which the warehouse needs for atomic commits",
                    self.url
                )
            }),
            (Err(e), _) | (_, Err(e)) => {
                Err(e).with_context(|| format!("cannot write to the warehouse {}", self.url))
            }
            _ => bail!(
                "{} accepted a second create-only write of the same object: it ignores \
                 If-None-Match, so commits and the run lock would not be atomic; use a store \
                 that supports conditional writes",
                self.url
            ),
        }
    }
    /// The store path of `rel` under this location.
    pub fn path(&self, rel: &str) -> ObjPath {
        let mut parts: Vec<String> = self
            .prefix
            .parts()
            .map(|p| p.as_ref().to_string())
            .collect();
        parts.extend(rel.split('/').filter(|s| !s.is_empty()).map(str::to_string));
        ObjPath::from_iter(parts)
    }

    /// `p` relative to this location's prefix, with `/` separators.
    pub fn relative(&self, p: &ObjPath) -> String {
        let skip = self.prefix.parts().count();
        p.parts()
            .skip(skip)
            .map(|s| s.as_ref().to_string())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Every object under `rel`, recursively.
    pub async fn list(&self, rel: &str) -> anyhow::Result<Vec<ObjectMeta>> {
        let prefix = self.path(rel);
        let items: Vec<ObjectMeta> = self
            .store
            .list(Some(&prefix))
            .try_collect()
            .await
            .with_context(|| format!("cannot list {}/{rel}", self.url))?;
        Ok(items)
    }

    /// Reads a small object whole.
    pub async fn get_bytes(&self, rel: &str) -> anyhow::Result<bytes::Bytes> {
        let r = self
            .store
            .get(&self.path(rel))
            .await
            .with_context(|| format!("cannot read {}/{rel}", self.url))?;
        Ok(r.bytes().await?)
    }

    /// Writes a small object, replacing any previous one.
    pub async fn put_bytes(&self, rel: &str, data: Vec<u8>) -> anyhow::Result<()> {
        self.store
            .put(&self.path(rel), PutPayload::from(data))
            .await
            .with_context(|| format!("cannot write {}/{rel}", self.url))?;
        Ok(())
    }

    /// Deletes an object; a missing one is not an error.
    pub async fn delete(&self, rel: &str) -> anyhow::Result<()> {
        match self.store.delete(&self.path(rel)).await {
            Ok(()) | Err(datafusion::object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e).with_context(|| format!("cannot delete {}/{rel}", self.url)),
        }
    }

    /// Writes an object only if none exists at that path: the commit point of
    /// the warehouse. Returns false when another writer got there first.
    pub async fn put_create(&self, rel: &str, data: Vec<u8>) -> anyhow::Result<bool> {
        let opts = PutOptions {
            mode: PutMode::Create,
            ..Default::default()
        };
        match self
            .store
            .put_opts(&self.path(rel), PutPayload::from(data), opts)
            .await
        {
            Ok(_) => Ok(true),
            Err(datafusion::object_store::Error::AlreadyExists { .. }) => Ok(false),
            Err(e) => Err(e).with_context(|| format!("cannot commit {}/{rel}", self.url)),
        }
    }

    /// Moves a finished local file into the location at `rel`. On local disk
    /// this is a rename; elsewhere a streamed multipart upload.
    pub async fn upload_file(&self, local: &Path, rel: &str) -> anyhow::Result<()> {
        if let Some(root) = &self.local_root {
            let dest = root.join(rel);
            if let Some(parent) = dest.parent() {
                tokio::fs::create_dir_all(parent).await?;
            }
            if tokio::fs::rename(local, &dest).await.is_ok() {
                return Ok(());
            }
            // Another file system: copy to a temporary name, then rename.
            let tmp = dest.with_extension("tmp-upload");
            tokio::fs::copy(local, &tmp).await?;
            tokio::fs::rename(&tmp, &dest).await?;
            return Ok(());
        }
        let mut writer =
            datafusion::object_store::buffered::BufWriter::new(self.store.clone(), self.path(rel));
        let mut file = tokio::fs::File::open(local).await?;
        tokio::io::copy(&mut file, &mut writer)
            .await
            .with_context(|| format!("cannot upload to {}/{rel}", self.url))?;
        writer
            .shutdown()
            .await
            .with_context(|| format!("cannot upload to {}/{rel}", self.url))?;
        Ok(())
    }

    /// The local path of an object when the location is on disk.
    pub fn local_path(&self, p: &ObjPath) -> Option<PathBuf> {
        self.local_root
            .as_ref()
            .map(|root| root.join(self.relative(p)))
    }

    /// Copies an object into `dest`, returning its SHA-256 (hex) and size.
    pub async fn download(&self, p: &ObjPath, dest: &Path) -> anyhow::Result<(String, u64)> {
        let r = self
            .store
            .get(p)
            .await
            .with_context(|| format!("cannot read {}/{}", self.url, self.relative(p)))?;
        let mut stream = r.into_stream();
        let mut file = tokio::fs::File::create(dest).await?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        while let Some(chunk) = stream
            .try_next()
            .await
            .with_context(|| format!("cannot read {}/{}", self.url, self.relative(p)))?
        {
            hasher.update(&chunk);
            size += chunk.len() as u64;
            file.write_all(&chunk).await?;
        }
        file.flush().await?;
        Ok((hex::encode(hasher.finalize()), size))
    }
}

/// An object store for an `s3://`, `gs://` or `az://` URL, configured from
/// the environment variables each cloud's tools use (`AWS_*`, `GOOGLE_*`,
/// `AZURE_*`), so no credential is ever in the config file.
/// The object store of a remote URL's bucket or container (`s3://b/...`,
/// `gs://...`, `az://...`), configured from the environment as the
/// warehouse's own: for the cluster's nodes, which read and write the
/// warehouse by URL.
pub fn remote_store(url: &url::Url) -> anyhow::Result<Arc<dyn ObjectStore>> {
    open_remote(url).map(|(store, _)| store)
}

fn open_remote(url: &url::Url) -> anyhow::Result<(Arc<dyn ObjectStore>, ObjPath)> {
    use datafusion::object_store::ObjectStoreScheme;
    let (scheme, path) =
        ObjectStoreScheme::parse(url).with_context(|| format!("{url}: unsupported storage URL"))?;
    let prefix = ObjPath::parse(path).with_context(|| format!("{url}: not a valid path"))?;
    let retry = retry_config()?;
    let store: Arc<dyn ObjectStore> = match scheme {
        ObjectStoreScheme::AmazonS3 => Arc::new(
            object_store::aws::AmazonS3Builder::from_env()
                .with_url(url.as_str())
                .with_retry(retry)
                .build()?,
        ),
        ObjectStoreScheme::GoogleCloudStorage => Arc::new(
            object_store::gcp::GoogleCloudStorageBuilder::from_env()
                .with_url(url.as_str())
                .with_retry(retry)
                .build()?,
        ),
        ObjectStoreScheme::MicrosoftAzure => Arc::new(
            object_store::azure::MicrosoftAzureBuilder::from_env()
                .with_url(url.as_str())
                .with_retry(retry)
                .build()?,
        ),
        other => {
            bail!("{url}: {other:?} storage is not supported; use a folder, s3://, gs:// or az://")
        }
    };
    Ok((store, prefix))
}

/// How often and how long a failed storage request is retried (with
/// exponential back-off) before the run fails: object_store's defaults (10
/// times, at most 180 s per request) unless `HOMEWARD_STORAGE_MAX_RETRIES` or
/// `HOMEWARD_STORAGE_RETRY_TIMEOUT` (seconds) say otherwise. Like endpoints,
/// these belong to the environment the job runs in.
fn retry_config() -> anyhow::Result<object_store::RetryConfig> {
    let mut retry = object_store::RetryConfig::default();
    let var = |name: &str| -> anyhow::Result<Option<u64>> {
        match std::env::var(name) {
            Ok(v) => v
                .trim()
                .parse()
                .map(Some)
                .with_context(|| format!("{name}={v}: expected a whole number")),
            Err(_) => Ok(None),
        }
    };
    if let Some(n) = var("HOMEWARD_STORAGE_MAX_RETRIES")? {
        retry.max_retries = n as usize;
    }
    if let Some(s) = var("HOMEWARD_STORAGE_RETRY_TIMEOUT")? {
        retry.retry_timeout = std::time::Duration::from_secs(s);
    }
    Ok(retry)
}

/// SHA-256 (hex) and size of a local file, streamed.
pub fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), size))
}
