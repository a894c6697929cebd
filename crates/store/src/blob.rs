//! Content-addressed blob storage for attachments and raw payloads that are
//! too large for a row. A blob's name is the SHA-256 of its bytes, so the
//! same file stored twice takes the space once, and a name proves integrity.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct BlobStore {
    root: PathBuf,
}

impl BlobStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BlobStore { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn hash(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }

    fn path_for(&self, sha256: &str) -> Option<PathBuf> {
        let valid = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
        valid.then(|| self.root.join(&sha256[..2]).join(&sha256[2..]))
    }

    /// Writes the bytes (durably: file fsync then atomic rename) and returns their hash.
    pub async fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        let sha = Self::hash(bytes);
        let path = self.path_for(&sha).expect("own hash is valid");
        if tokio::fs::try_exists(&path).await? {
            return Ok(sha);
        }
        let dir = path.parent().expect("blob path has a parent");
        tokio::fs::create_dir_all(dir).await?;
        let tmp = dir.join(format!(".{}.{}.tmp", &sha[2..], std::process::id()));
        let file = tokio::fs::File::create(&tmp).await?;
        {
            use tokio::io::AsyncWriteExt;
            let mut file = file;
            file.write_all(bytes).await?;
            file.sync_all().await?;
        }
        tokio::fs::rename(&tmp, &path).await?;
        Ok(sha)
    }

    /// Reads a blob; `None` if it does not exist or the name is not a hash.
    pub async fn get(&self, sha256: &str) -> std::io::Result<Option<Vec<u8>>> {
        let Some(path) = self.path_for(sha256) else { return Ok(None) };
        match tokio::fs::read(&path).await {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stores_once_by_content() {
        let dir = std::env::temp_dir().join(format!("rapport-blob-test-{}", std::process::id()));
        let blobs = BlobStore::new(&dir);
        let a = blobs.put("żółty".as_bytes()).await.unwrap();
        let b = blobs.put("żółty".as_bytes()).await.unwrap();
        assert_eq!(a, b);
        assert_eq!(blobs.get(&a).await.unwrap().unwrap(), "żółty".as_bytes());
        assert_eq!(blobs.get("../../etc/passwd").await.unwrap(), None);
        assert_eq!(blobs.get(&"0".repeat(64)).await.unwrap(), None);
        let _ = std::fs::remove_dir_all(dir);
    }
}
