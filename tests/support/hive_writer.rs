//! A minimal regf hive writer for tests: base block + one hbin with nk / vk / lf / value-list
//! cells, enough for notatin (and Windows' own format rules: sorted lf lists, compressed ASCII
//! names, inline data for values of 4 bytes or less, checksum) to read. Only used to BUILD test
//! hives; the product reads hives with notatin.

use std::collections::BTreeMap;

use exchange_auth_tools::registry::RegValue;

#[derive(Default)]
struct Node {
    name: String,
    children: BTreeMap<String, Node>,
    values: Vec<(String, RegValue)>,
}

/// Build a hive in memory.
#[derive(Default)]
pub struct HiveBuilder {
    root: Node,
}

impl HiveBuilder {
    pub fn new() -> Self {
        HiveBuilder { root: Node { name: "ROOT".into(), ..Default::default() } }
    }

    fn node(&mut self, path: &str) -> &mut Node {
        let mut n = &mut self.root;
        for part in path.split('\\').filter(|p| !p.is_empty()) {
            n = n
                .children
                .entry(part.to_uppercase())
                .or_insert_with(|| Node { name: part.to_owned(), ..Default::default() });
        }
        n
    }

    pub fn key(&mut self, path: &str) -> &mut Self {
        self.node(path);
        self
    }

    pub fn set(&mut self, path: &str, name: &str, value: RegValue) -> &mut Self {
        self.node(path).values.push((name.to_owned(), value));
        self
    }

    pub fn build(&self) -> Vec<u8> {
        let mut w = Cells { data: vec![0; 0x20] };
        let root = w.write_key(&self.root, None);
        // Pad the hbin to a multiple of 4096 with one free cell.
        let used = w.data.len();
        let size = used.div_ceil(4096).max(1) * 4096;
        let size = if size - used < 8 { size + 4096 } else { size };
        let free = (size - used) as i32;
        w.data.extend_from_slice(&free.to_le_bytes());
        w.data.resize(size, 0);
        // hbin header.
        w.data[0..4].copy_from_slice(b"hbin");
        w.data[4..8].copy_from_slice(&0u32.to_le_bytes());
        w.data[8..12].copy_from_slice(&(size as u32).to_le_bytes());
        // Base block.
        let mut base = vec![0u8; 4096];
        base[0..4].copy_from_slice(b"regf");
        base[4..8].copy_from_slice(&1u32.to_le_bytes());
        base[8..12].copy_from_slice(&1u32.to_le_bytes());
        base[0x14..0x18].copy_from_slice(&1u32.to_le_bytes());
        base[0x18..0x1C].copy_from_slice(&5u32.to_le_bytes());
        base[0x20..0x24].copy_from_slice(&1u32.to_le_bytes());
        base[0x24..0x28].copy_from_slice(&root.to_le_bytes());
        base[0x28..0x2C].copy_from_slice(&(size as u32).to_le_bytes());
        base[0x2C..0x30].copy_from_slice(&1u32.to_le_bytes());
        let mut sum = 0u32;
        for c in base[..0x1FC].chunks_exact(4) {
            sum ^= u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        }
        let sum = match sum {
            0xFFFF_FFFF => 0xFFFF_FFFE,
            0 => 1,
            s => s,
        };
        base[0x1FC..0x200].copy_from_slice(&sum.to_le_bytes());
        base.extend_from_slice(&w.data);
        base
    }
}

struct Cells {
    data: Vec<u8>,
}

impl Cells {
    /// Allocate a cell for `content`; returns its offset (relative to the hbin start).
    fn alloc(&mut self, content: &[u8]) -> u32 {
        let off = self.data.len() as u32;
        let size = (4 + content.len()).div_ceil(8) * 8;
        self.data.extend_from_slice(&(-(size as i32)).to_le_bytes());
        self.data.extend_from_slice(content);
        self.data.resize(off as usize + size, 0);
        off
    }

    fn put_u32(&mut self, cell: u32, field: usize, v: u32) {
        let at = cell as usize + 4 + field;
        self.data[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }

    fn write_key(&mut self, node: &Node, parent: Option<u32>) -> u32 {
        let name = node.name.as_bytes();
        let mut nk = vec![0u8; 76];
        nk[0..2].copy_from_slice(b"nk");
        let flags: u16 = 0x20 | if parent.is_none() { 0x04 } else { 0 };
        nk[2..4].copy_from_slice(&flags.to_le_bytes());
        nk[16..20].copy_from_slice(&parent.unwrap_or(0xFFFF_FFFF).to_le_bytes());
        for at in [28usize, 32, 40, 44, 48] {
            nk[at..at + 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        nk[72..74].copy_from_slice(&(name.len() as u16).to_le_bytes());
        nk.extend_from_slice(name);
        let me = self.alloc(&nk);
        // Subkeys: an lf list sorted by upper-case name (the BTreeMap order).
        if !node.children.is_empty() {
            let offs: Vec<(u32, [u8; 4])> = node
                .children
                .values()
                .map(|c| {
                    let mut hint = [0u8; 4];
                    for (i, b) in c.name.bytes().take(4).enumerate() {
                        hint[i] = b;
                    }
                    (self.write_key(c, Some(me)), hint)
                })
                .collect();
            let mut lf = Vec::new();
            lf.extend_from_slice(b"lf");
            lf.extend_from_slice(&(offs.len() as u16).to_le_bytes());
            for (o, h) in &offs {
                lf.extend_from_slice(&o.to_le_bytes());
                lf.extend_from_slice(h);
            }
            let list = self.alloc(&lf);
            self.put_u32(me, 20, offs.len() as u32);
            self.put_u32(me, 28, list);
            let longest = node.children.values().map(|c| c.name.len() * 2).max().unwrap_or(0);
            self.put_u32(me, 52, longest as u32);
        }
        if !node.values.is_empty() {
            let offs: Vec<u32> = node.values.iter().map(|(n, v)| self.write_value(n, v)).collect();
            let list: Vec<u8> = offs.iter().flat_map(|o| o.to_le_bytes()).collect();
            let list = self.alloc(&list);
            self.put_u32(me, 36, offs.len() as u32);
            self.put_u32(me, 40, list);
        }
        me
    }

    fn write_value(&mut self, name: &str, value: &RegValue) -> u32 {
        let data = value.to_raw();
        let (size, offset) = if data.len() <= 4 {
            let mut inline = [0u8; 4];
            inline[..data.len()].copy_from_slice(&data);
            (data.len() as u32 | 0x8000_0000, u32::from_le_bytes(inline))
        } else {
            (data.len() as u32, self.alloc(&data))
        };
        let mut vk = Vec::new();
        vk.extend_from_slice(b"vk");
        vk.extend_from_slice(&(name.len() as u16).to_le_bytes());
        vk.extend_from_slice(&size.to_le_bytes());
        vk.extend_from_slice(&offset.to_le_bytes());
        vk.extend_from_slice(&value.kind().to_le_bytes());
        vk.extend_from_slice(&1u16.to_le_bytes());
        vk.extend_from_slice(&0u16.to_le_bytes());
        vk.extend_from_slice(name.as_bytes());
        self.alloc(&vk)
    }
}
