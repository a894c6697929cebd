//! Demo data: filled in by the demo module's author.
