//! Numbers written for people, the one place they are worded: thousands grouped, counts whose
//! noun agrees with the number, lists of counted things, sizes in binary units (KiB, MiB, GiB: the limits and NetBackup's
//! own sizes are powers of two).

/// `20000` → `20,000`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// `1 file`, `20,000 files`: the number grouped, the noun as it agrees with it.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
}

/// `count` with the plural made by adding "s": `1 log line`, `2 log lines`.
pub fn counted(n: u64, noun: &str) -> String {
    count(n, noun, &format!("{noun}s"))
}

/// "s" unless `n` is 1, for a noun inside a longer phrase (`{n} line{s} longer than ...`).
pub fn plural_s(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `a`, `a and b`, `a, b and c`: the things a sentence counts or names, listed.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `4 GiB`, `1.5 MiB`, `300 bytes`: one decimal, dropped when it is 0.
pub fn bytes(n: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (unit, name) in UNITS {
        if n >= unit {
            let tenths = (u128::from(n) * 10 / u128::from(unit)) as u64;
            return if tenths.is_multiple_of(10) {
                format!("{} {name}", tenths / 10)
            } else {
                format!("{}.{} {name}", tenths / 10, tenths % 10)
            };
        }
    }
    count(n, "byte", "bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_for_people() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(20_000), "20,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(counted(1, "log line"), "1 log line");
        assert_eq!(counted(2001, "file"), "2,001 files");
        assert_eq!(count(2, "match", "matches"), "2 matches");
        assert_eq!(format!("3 line{}", plural_s(3)), "3 lines");
        assert_eq!(and_list(&["a".into(), "b".into(), "c".into()]), "a, b and c");
        assert_eq!(bytes(512), "512 bytes");
        assert_eq!(bytes(1), "1 byte");
        assert_eq!(bytes(51_086), "49.8 KiB");
        assert_eq!(bytes(1 << 20), "1 MiB");
        assert_eq!(bytes(3 << 19), "1.5 MiB");
        assert_eq!(bytes(4 << 30), "4 GiB");
    }
}
