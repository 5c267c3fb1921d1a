//! Step 12.2 · `echo-message` — what an echo message means, read from and written to its bytes.

use netlings::given::ping::checksum::{fill_checksum, verify_checksum};
use netlings::support::icmp::{Family, HEADER_LEN, Packet, ReplyError, field};

/// Which echo message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EchoKind {
    Request,
    Reply,
}

/// What an echo message means, apart from its bytes: `parse` reads it from a [`Packet`],
/// `emit` writes it into one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EchoRepr<'a> {
    pub kind: EchoKind,
    pub ident: u16,
    pub seq: u16,
    pub data: &'a [u8],
}

impl<'a> EchoRepr<'a> {
    /// Reads an echo request or reply of `family` from `packet`.
    ///
    /// For IPv4 the checksum is verified here. For ICMPv6 the kernel has verified it already:
    /// it covers a pseudo-header with both IP addresses, which a socket does not hand us.
    pub fn parse(packet: Packet<&'a [u8]>, family: Family) -> Result<EchoRepr<'a>, ReplyError> {
        if family == Family::V4 && !verify_checksum(&packet) {
            // What the sender should have written: the checksum of a copy, filled afresh.
            let mut copy = Packet::new_unchecked(packet.as_bytes().to_vec());
            fill_checksum(&mut copy);
            return Err(ReplyError::BadChecksum {
                found: packet.checksum(),
                expected: copy.checksum(),
            });
        }
        let kind = match (packet.msg_type(), packet.code()) {
            (t, 0) if t == family.echo_request() => EchoKind::Request,
            (t, 0) if t == family.echo_reply() => EchoKind::Reply,
            (icmp_type, code) => return Err(ReplyError::NotEchoReply { icmp_type, code }),
        };
        Ok(EchoRepr {
            kind,
            ident: packet.ident(),
            seq: packet.seq(),
            // `into_inner` gives back the `&'a [u8]`, so the data outlives the view.
            data: &packet.into_inner()[field::DATA],
        })
    }

    /// The length of the message: header and data.
    pub fn buffer_len(&self) -> usize {
        HEADER_LEN + self.data.len()
    }

    /// Writes the message into `packet`, which must be exactly [`buffer_len`](Self::buffer_len)
    /// bytes long. For IPv4 the checksum is computed; for ICMPv6 it is left 0 because the kernel
    /// computes it (it needs the source address, which the kernel picks).
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, packet: &mut Packet<T>, family: Family) {
        let msg_type = match self.kind {
            EchoKind::Request => family.echo_request(),
            EchoKind::Reply => family.echo_reply(),
        };
        packet.set_msg_type(msg_type);
        packet.set_code(0);
        packet.set_ident(self.ident);
        packet.set_seq(self.seq);
        packet.data_mut().copy_from_slice(self.data);
        // Last: the checksum covers every field written above.
        match family {
            Family::V4 => fill_checksum(packet),
            Family::V6 => packet.set_checksum(0),
        }
    }
}

/// The bytes of an echo request, ready for `send`.
pub fn build_echo_request(family: Family, ident: u16, seq: u16, data: &[u8]) -> Vec<u8> {
    let repr = EchoRepr {
        kind: EchoKind::Request,
        ident,
        seq,
        data,
    };
    let mut packet = Packet::new_unchecked(vec![0; repr.buffer_len()]);
    repr.emit(&mut packet, family);
    packet.into_inner()
}
