import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterConsoleEnv, clusterKamailioParams, clusterLayout, clusterNodeParams, clusterServiceEnv, clusterSipWsUrl } from '../../../src/adapters/asterisk/cluster-profile.ts';
import { renderAsteriskConfig } from '../../../src/adapters/asterisk/render-config.ts';
import { checkKamailioConfig } from '../../../src/adapters/kamailio/kamailio-process.ts';
import { renderDispatcherList, renderKamailioConfig, renderPasswords, renderTlsListen, renderTlsProfiles } from '../../../src/adapters/kamailio/render-kamailio.ts';
import { loadRoster } from '../../../src/config/roster.ts';
import { ensureDemoCertificate } from '../../../src/adapters/asterisk/demo-certificate.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const roster = loadRoster(join(ROOT, 'config/roster.demo.yaml'));
const passwords = Object.fromEntries([...roster.counsellors, ...roster.staff].filter((p) => p.sipUser).map((p, i) => [p.sipUser!, `pw-${i}-Xy9_`]));
const nodes = [1, 2, 3].map((i) => ({ id: `ast${i}`, address: `127.0.1.${i}`, sipPort: 15760 }));
const params = {
  runDir: '/tmp/k', listenAddress: '127.0.1.10', sipPort: 15760, httpPort: 18790, carrierAddress: '127.0.0.2',
  hotlineNumbers: ['12355', '123550'], nodes, roster, sipPasswords: passwords,
};

describe('Kamailio edge config', () => {
  it('is accepted by kamailio -c (modules, routes and the roster passwords)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-'));
    const out = renderKamailioConfig(ROOT, { ...params, runDir: dir });
    for (const [name, text] of Object.entries(out)) writeFileSync(join(dir, name), text);
    const check = checkKamailioConfig(join(dir, 'kamailio.cfg'));
    expect(check.output).toContain('config file ok');
    expect(check.ok).toBe(true);
  });

  it('spreads the hotline numbers over every node with OPTIONS probing and failover', () => {
    const cfg = renderKamailioConfig(ROOT, params)['kamailio.cfg']!;
    expect(cfg).toMatch(/ds_ping_interval", 1\)/);
    expect(cfg).toMatch(/ds_select_dst\("1", "4"\)/);
    expect(cfg).toContain('ds_next_dst()');
    expect(cfg).toContain('t_check_status("408|5[0-9][0-9]")');
    expect(cfg).toContain('$rU =~ "^(12355|123550)$"');
    expect(cfg).toContain('$si == "127.0.0.2"');
    expect(renderDispatcherList(nodes)).toBe('# setid destination flags priority attributes\n1 sip:127.0.1.1:15760 0 0 node=ast1\n1 sip:127.0.1.2:15760 0 0 node=ast2\n1 sip:127.0.1.3:15760 0 0 node=ast3\n');
  });

  it('carries each roster account (phone and browser) with its password from the secrets', () => {
    const text = renderPasswords(roster, passwords);
    const c = roster.counsellors[0]!;
    expect(text).toContain(`$sht(pw=>${c.sipUser}) = "${passwords[c.sipUser!]}";`);
    expect(text).toContain(`$sht(pw=>web${c.sipUser}) = "${passwords[c.sipUser!]}";`);
    expect(() => renderPasswords(roster, { ...passwords, [c.sipUser!]: 'bad"; exit;' })).toThrow(/characters/);
    expect(() => renderPasswords(roster, {})).toThrow(/no SIP password/);
  });

  const tls = { certFile: '/etc/hotline/edge.crt', keyFile: '/etc/hotline/edge.key', sipTlsPort: 15761, wssPort: 18791 };

  it('with a certificate, is accepted by kamailio -c with SIP over TLS and WSS listening', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-'));
    const cert = ensureDemoCertificate(join(dir, 'tls'), ['127.0.1.10']);
    const out = renderKamailioConfig(ROOT, { ...params, runDir: dir, tls: { ...tls, certFile: cert.certFile, keyFile: cert.keyFile } });
    for (const [name, text] of Object.entries(out)) writeFileSync(join(dir, name), text);
    const check = checkKamailioConfig(join(dir, 'kamailio.cfg'));
    expect(check.output).toContain('config file ok');
    expect(check.output).toMatch(/tls: 127\.0\.1\.10 \[127\.0\.1\.10\]:15761/);
    expect(check.output).toMatch(/tls: 127\.0\.1\.10 \[127\.0\.1\.10\]:18791/);
  });

  it('renders TLS only when given a certificate: tls module first, both ports, one server profile', () => {
    const plain = renderKamailioConfig(ROOT, params);
    expect(plain['tls.cfg']).toBeUndefined();
    expect(plain['kamailio.cfg']).not.toContain('#!define WITH_TLS');
    expect(plain['kamailio.cfg']).not.toMatch(/^listen=tls:/m);

    const out = renderKamailioConfig(ROOT, { ...params, tls });
    const cfg = out['kamailio.cfg']!;
    expect(cfg).toMatch(/^#!define WITH_TLS$/m);
    expect(cfg).toContain('listen=tls:127.0.1.10:15761\nlisten=tls:127.0.1.10:18791');
    expect(cfg).toContain('modparam("tls", "config", "/tmp/k/tls.cfg")');
    // tls.so is the first module loaded (it initialises OpenSSL for everything after it).
    expect(cfg.match(/^loadmodule "([^"]+)"/m)?.[1]).toBe('tls.so');
    expect(cfg).toContain('if ($Rp == 18791)');
    expect(out['tls.cfg']).toContain('[server:default]\nmethod = TLSv1.2+');
    expect(out['tls.cfg']).toContain('certificate = /etc/hotline/edge.crt\nprivate_key = /etc/hotline/edge.key');
  });

  it('listens for TLS on an extra address when asked, and refuses what the config cannot carry', () => {
    expect(renderTlsListen('127.0.1.10', { ...tls, extraBind: '192.168.1.20' })).toBe(
      'listen=tls:127.0.1.10:15761\nlisten=tls:127.0.1.10:18791\nlisten=tls:192.168.1.20:15761\nlisten=tls:192.168.1.20:18791');
    expect(renderTlsListen('127.0.1.10', { ...tls, extraBind: '127.0.1.10' }).split('\n')).toHaveLength(2);
    expect(() => renderTlsListen('127.0.1.10', { ...tls, extraBind: '1.2.3.4;x' })).toThrow(/not an address/);
    expect(() => renderTlsProfiles({ ...tls, certFile: 'edge.crt' })).toThrow(/absolute path/);
    expect(() => renderTlsProfiles({ ...tls, keyFile: '/a b/edge.key' })).toThrow(/absolute path/);
  });

  it('refuses no nodes and numbers that are not digits', () => {
    expect(() => renderDispatcherList([])).toThrow(/no Asterisk nodes/);
    expect(() => renderKamailioConfig(ROOT, { ...params, hotlineNumbers: ['12355|.*'] })).toThrow(/not digits/);
  });
});

describe('cluster profile', () => {
  const layout = clusterLayout('test', 7);

  it('puts each node on its own address, run directory and RTP slice', () => {
    expect(layout.nodes.map((n) => n.address)).toEqual(['127.0.1.1', '127.0.1.2', '127.0.1.3']);
    const slices = layout.nodes.map((n) => [n.rtpStart, n.rtpEnd]);
    for (let i = 1; i < slices.length; i++) expect(slices[i]![0]).toBeGreaterThan(slices[i - 1]![1]!);
    const dirs = layout.nodes.map((_n, i) => clusterNodeParams(ROOT, layout, i).runDir);
    expect(new Set(dirs).size).toBe(3);
  });

  it("renders each node's Asterisk with its systemname and the edge endpoint, counsellors rung through the edge", () => {
    const conf = renderAsteriskConfig(ROOT, clusterNodeParams(ROOT, layout, 1));
    expect(conf['asterisk.conf']).toContain('systemname = ast2');
    expect(conf['pjsip.conf']).toContain('bind = 127.0.1.2:');
    expect(conf['pjsip.conf']).toMatch(/\[edge\]\ntype = identify\nendpoint = edge\nmatch = 127\.0\.1\.10/);
    expect(conf['manager.conf']).toContain('bindaddr = 127.0.1.2');
    const c = roster.counsellors[0]!.sipUser!;
    expect(conf['queues.conf']).toContain(`member => PJSIP/${c}@edge,`);
    expect(conf['queues.conf']).toContain(`member => PJSIP/web${c}@edge-web,`);
  });

  it('keeps the single-node config as it was (no systemname, no edge)', () => {
    const conf = renderAsteriskConfig(ROOT, { ...clusterNodeParams(ROOT, layout, 0), cluster: undefined, amiBind: undefined });
    expect(conf['asterisk.conf']).not.toContain('systemname');
    expect(conf['pjsip.conf']).not.toContain('[edge]');
    expect(conf['manager.conf']).toContain('bindaddr = 127.0.0.1');
  });

  it("gives Kamailio the nodes, the carrier and the hotline's numbers", () => {
    const k = clusterKamailioParams(ROOT, layout);
    expect(k.nodes.map((n) => n.id)).toEqual(['ast1', 'ast2', 'ast3']);
    expect(k.hotlineNumbers).toEqual(['12355', '123550']);
    expect(k.carrierAddress).toBe('127.0.0.2');
  });

  it("puts the edge's TLS ports beside its others, per slot, with the profile's certificate", () => {
    expect(layout.edge).toEqual({ address: '127.0.1.10', sipPort: 15760, httpPort: 18790, sipTlsPort: 15761, wssPort: 18791 });
    expect(clusterLayout('demo').edge).toEqual({ address: '127.0.1.10', sipPort: 5060, httpPort: 8090, sipTlsPort: 5061, wssPort: 8091 });
    const k = clusterKamailioParams(ROOT, layout, { EDGE_BIND: '192.168.1.20' });
    expect(k.tls).toMatchObject({ sipTlsPort: 15761, wssPort: 18791, extraBind: '192.168.1.20' });
    expect(k.tls!.certFile).toBe(resolve(ROOT, 'var/test/tls/server.crt'));
    // The operator's certificate, when given, is the edge's too.
    const mine = ensureDemoCertificate(join(mkdtempSync(join(tmpdir(), 'kam-')), 'tls'), ['sip.example.org']);
    const own = clusterKamailioParams(ROOT, layout, { PBX_TLS_CERT_FILE: mine.certFile, PBX_TLS_KEY_FILE: mine.keyFile });
    expect(own.tls).toMatchObject({ certFile: mine.certFile, keyFile: mine.keyFile });
  });

  it('gives the console wss:// at the edge when the pages are HTTPS (the demo), ws:// otherwise (the test profile)', () => {
    expect(clusterSipWsUrl(layout, null)).toBe('ws://127.0.1.10:18790/ws');
    expect(clusterSipWsUrl(layout, { host: 'sip.hotline.test' })).toBe('wss://sip.hotline.test:18791/ws');
    const test = clusterServiceEnv(ROOT, layout, 0);
    expect(test.SIP_WS_URL).toBe('ws://127.0.1.10:18790/ws');
    expect(test.HTTP_TLS_CERT_FILE).toBeUndefined();
    const cert = { certFile: '/srv/tls/server.crt', keyFile: '/srv/tls/server.key' };
    expect(clusterConsoleEnv(clusterLayout('demo'), cert, {})).toEqual({
      HTTP_TLS_CERT_FILE: '/srv/tls/server.crt', HTTP_TLS_KEY_FILE: '/srv/tls/server.key', SIP_WS_URL: 'wss://127.0.1.10:8091/ws',
    });
    expect(clusterConsoleEnv(clusterLayout('demo'), cert, { HOTLINE_PUBLIC_HOST: 'hotline.lan' }).SIP_WS_URL).toBe('wss://hotline.lan:8091/ws');
  });
});
