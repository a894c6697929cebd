//! `rapport`: the one binary. See `rapport --help`.

mod backup;
mod config;
mod demo;
mod jobs;
mod serve;
mod stores;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "rapport", version, about = "Rapport: customer service and customer success in one self-hosted binary")]
struct Cli {
    /// TOML configuration file (default: $RAPPORT_CONFIG, else ./rapport.toml if present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (web UI, API, ops endpoints).
    Serve,
    /// Run the server with a demo workspace (vi/pl/en data), created on first run.
    Demo {
        /// Address to listen on (overrides `listen`).
        #[arg(long)]
        listen: Option<String>,
        /// Seed the demo data and exit without serving.
        #[arg(long)]
        seed_only: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the effective configuration, with secrets hidden.
    PrintConfig,
    /// Write a consistent backup of the database and blobs into a new directory (online).
    Backup { dest: PathBuf },
    /// Restore a backup made by `rapport backup` (stop the server first).
    Restore {
        src: PathBuf,
        /// Replace existing data.
        #[arg(long)]
        force: bool,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut cfg = config::Config::load(cli.config.as_deref())?;
    serve::init_logging(&cfg.log);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async move {
        match cli.command {
            Command::Serve => serve::serve(cfg).await,
            Command::Demo { listen, seed_only } => {
                if let Some(l) = listen {
                    cfg.listen = l;
                }
                serve::demo(cfg, seed_only).await
            }
            Command::Migrate => {
                let store = stores::open(&cfg).await?;
                store.migrate().await?;
                println!("migrations applied ({})", store.backend());
                Ok(())
            }
            Command::PrintConfig => {
                print!("{}", cfg.to_redacted_toml()?);
                Ok(())
            }
            Command::Backup { dest } => backup::backup(&cfg, &dest).await,
            Command::Restore { src, force } => backup::restore(&cfg, &src, force).await,
        }
    })
}
