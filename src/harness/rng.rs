//! Cases from a seed, the same on every machine.

/// A small deterministic pseudo-random generator (xorshift64*) for property tests: the same
/// seed gives the same cases on every machine, so a failure can be reproduced.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator; the seed must not be 0 (it is replaced by 1).
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A random ASCII string of up to `max_len` characters drawn from `alphabet`.
    pub fn string(&mut self, alphabet: &str, max_len: usize) -> String {
        let chars: Vec<char> = alphabet.chars().collect();
        let len = self.below(max_len as u64 + 1) as usize;
        (0..len)
            .map(|_| chars[self.below(chars.len() as u64) as usize])
            .collect()
    }
}

/// `len` bytes that differ for each `seed`, the same on every run: a message whose echo is
/// checked byte for byte, so that a swapped, shifted or mixed-up echo is noticed.
///
/// ```
/// use netlings::harness::pattern;
/// assert_eq!(pattern(1, 100), pattern(1, 100));
/// assert_ne!(pattern(1, 100), pattern(2, 100));
/// ```
pub fn pattern(seed: u64, len: usize) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    (0..len).map(|_| rng.next_u64() as u8).collect()
}
