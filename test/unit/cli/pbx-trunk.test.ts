import { describe, expect, it } from 'vitest';
import { dispatcherList, parsePbxTrunk } from '../../../cli/pbx-trunk';
import { parseRtpPorts } from '../../../cli/rtpengine';

describe('the PBX trunk option', () => {
  it('reads addresses with and without ports, IPv4 and IPv6', () => {
    expect(parsePbxTrunk('10.0.0.5:5080, 10.0.0.6,[2001:db8::7]:5060')).toEqual([
      { address: '10.0.0.5', port: 5080 },
      { address: '10.0.0.6', port: 5060 },
      { address: '2001:db8::7', port: 5060 },
    ]);
  });

  it('refuses names (trust is by address), bad ports, bare IPv6 and an empty list, saying what is wrong', () => {
    expect(() => parsePbxTrunk('pbx.city.go.kr:5060')).toThrow(/"pbx.city.go.kr:5060" is not an IP address/);
    expect(() => parsePbxTrunk('10.0.0.5:70000')).toThrow(/port out of range/);
    expect(() => parsePbxTrunk('10.0.0.5:0')).toThrow(/port out of range/);
    expect(() => parsePbxTrunk('2001:db8::7')).toThrow(/not an IP address/);
    expect(() => parsePbxTrunk('[10.0.0.5]:5060')).toThrow(/not an IP address/);
    expect(() => parsePbxTrunk(' , ')).toThrow(/no address given/);
  });

  it('writes Kamailio’s dispatcher list: set 1, UDP, in the order given (the first takes callbacks)', () => {
    expect(dispatcherList(parsePbxTrunk('10.0.0.5,[2001:db8::7]:5070'))).toBe('1 sip:10.0.0.5:5060;transport=udp\n1 sip:[2001:db8::7]:5070;transport=udp\n');
  });
});

describe('the media port range', () => {
  it('reads a range of at least 16 unprivileged ports', () => {
    expect(parseRtpPorts('30000-30999')).toEqual([30000, 30999]);
    expect(() => parseRtpPorts('30000-30010')).toThrow(/at least 16/);
    expect(() => parseRtpPorts('80-2000')).toThrow(/from 1024/);
    expect(() => parseRtpPorts('30000')).toThrow(/look like 30000-30999/);
  });
});
