import { createCipheriv, createHmac } from 'node:crypto';

// SRTP (RFC 3711) with AES_CM_128_HMAC_SHA1_80, the sending side only, for tests that hand
// rtpengine a secured leg keyed by SDES (a=crypto in the SDP): enough to see what it records of
// media it had to decrypt. The key derivation and the packet transform are the RFC's, nothing more.

/** `length` bytes of AES-128 counter-mode keystream from `iv` (16 bytes). */
function keystream(key: Buffer, iv: Buffer, length: number): Buffer {
  return createCipheriv('aes-128-ctr', key, iv).update(Buffer.alloc(length));
}

/** RFC 3711 4.3.1, key derivation rate 0: the session key for `label` (0 cipher, 1 auth, 2 salt). */
function derive(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const x = Buffer.alloc(16);
  masterSalt.copy(x, 0);
  x[7] = (x[7] as number) ^ label;
  return keystream(masterKey, x, length);
}

export interface SrtpSender {
  /** The a=crypto line that declares this sender's key (tag as offered). */
  cryptoLine(tag: number): string;
  protect(rtpPacket: Buffer): Buffer;
}

export function srtpSender(master: Buffer): SrtpSender {
  if (master.length !== 30) throw new Error('AES_CM_128 takes a 16-byte key and a 14-byte salt');
  const masterKey = master.subarray(0, 16);
  const masterSalt = master.subarray(16);
  const cipherKey = derive(masterKey, masterSalt, 0, 16);
  const authKey = derive(masterKey, masterSalt, 1, 20);
  const salt = derive(masterKey, masterSalt, 2, 14);
  let roc = 0;
  let lastSeq: number | null = null;
  return {
    cryptoLine: (tag) => `a=crypto:${tag} AES_CM_128_HMAC_SHA1_80 inline:${master.toString('base64')}`,
    protect(packet) {
      const seq = packet.readUInt16BE(2);
      if (lastSeq !== null && seq < lastSeq && lastSeq - seq > 0x8000) roc++;
      lastSeq = seq;
      const headerLength = 12 + ((packet[0] as number) & 0x0f) * 4 + ((packet[0] as number) & 0x10 ? 4 + packet.readUInt16BE(12 + ((packet[0] as number) & 0x0f) * 4 + 2) * 4 : 0);
      // IV = (salt · 2^16) XOR (SSRC · 2^64) XOR (index · 2^16)
      const iv = Buffer.alloc(16);
      salt.copy(iv, 0);
      for (let i = 0; i < 4; i++) iv[4 + i] = (iv[4 + i] as number) ^ (packet[8 + i] as number);
      const index = Buffer.alloc(6);
      index.writeUInt32BE(roc, 0);
      index.writeUInt16BE(seq, 4);
      for (let i = 0; i < 6; i++) iv[8 + i] = (iv[8 + i] as number) ^ (index[i] as number);
      const payload = packet.subarray(headerLength);
      const ks = keystream(cipherKey, iv, payload.length);
      const encrypted = Buffer.from(payload.map((b, i) => b ^ (ks[i] as number)));
      const authenticated = Buffer.concat([packet.subarray(0, headerLength), encrypted]);
      const rocBytes = Buffer.alloc(4);
      rocBytes.writeUInt32BE(roc, 0);
      const tag = createHmac('sha1', authKey).update(authenticated).update(rocBytes).digest().subarray(0, 10);
      return Buffer.concat([authenticated, tag]);
    },
  };
}
