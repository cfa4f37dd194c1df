import { isIP } from 'node:net';

// The city's PBX trunk: the one place that names the PBX's SIP addresses. Kamailio trusts calls
// from exactly these (address, port, UDP) without registration, and sends agents' outgoing calls
// to them; every other source must prove an account with digest credentials.

export interface PbxPeer {
  address: string;
  port: number;
}

/** Parses `10.0.0.5:5060,10.0.0.6` (IPv6 as `[::1]:5060`); the port defaults to 5060. Names are refused: trust is by address. */
export function parsePbxTrunk(text: string): PbxPeer[] {
  const peers = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d{1,5}))?$/.exec(item);
      const address = m?.[1] ?? m?.[2] ?? '';
      const port = m?.[3] ? Number(m[3]) : 5060;
      if (!isIP(address) || (m?.[1] !== undefined && isIP(address) !== 6)) throw new Error(`PBX trunk: "${item}" is not an IP address with an optional port (10.0.0.5:5060)`);
      if (port < 1 || port > 65_535) throw new Error(`PBX trunk: port out of range in "${item}"`);
      return { address, port };
    });
  if (peers.length === 0) throw new Error('PBX trunk: no address given');
  return peers;
}

/** The trunk as Kamailio's dispatcher list file: set 1, one UDP destination a line. */
export function dispatcherList(peers: readonly PbxPeer[]): string {
  return peers.map((p) => `1 sip:${isIP(p.address) === 6 ? `[${p.address}]` : p.address}:${p.port};transport=udp\n`).join('');
}
