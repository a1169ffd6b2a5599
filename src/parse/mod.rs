//! Line grammars and value formats: legacy debug lines, socket addresses, dates and times.
//! Pure functions over bytes; never fail (a line that does not parse gives `None`).

pub mod addr;
pub mod legacy;
pub mod time;
