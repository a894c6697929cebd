//! Sample articles (filled in below).
