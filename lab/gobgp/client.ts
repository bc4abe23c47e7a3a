// A GoBGP API client over gobgpd's unix socket (`--api-hosts unix://PATH`): the calls Cilium's
// agent makes on its embedded GoBGP (pkg/bgpv1/gobgp: StartBgp, AddPeer, UpdatePeer,
// DeletePeer, AddPath, DeletePath, ListPeer). One persistent channel per node agent; no
// `gobgp` process per change. Messages are encoded with protobufjs from the vendored protos
// (proto/, GoBGP v3.10.0), fields in camelCase as protobufjs names them (google.protobuf.Any
// keeps its own `type_url`).
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type * as Grpc from '@grpc/grpc-js';
import type * as Protobuf from 'protobufjs';
import { PROJECT_ROOT } from '../paths.js';
import { LabError } from '../errors.js';

// Both are CommonJS: loaded with require, once, only where an agent is driven.
const require = createRequire(import.meta.url);
let loaded: { grpc: typeof Grpc; root: Protobuf.Root } | undefined;
function lib(): { grpc: typeof Grpc; root: Protobuf.Root } {
  if (loaded) return loaded;
  const grpc = require('@grpc/grpc-js') as typeof Grpc;
  const protobuf = require('protobufjs') as typeof Protobuf;
  const dir = join(PROJECT_ROOT, 'lab/gobgp/proto');
  const root = new protobuf.Root();
  // `import "gobgp.proto"` is relative to the proto directory; google/* are protobufjs's own.
  root.resolvePath = (_origin, target) => (target.startsWith('google/') ? target : join(dir, target.split('/').at(-1)!));
  root.loadSync(['gobgp.proto', 'attribute.proto', 'capability.proto'].map((f) => join(dir, f)), { keepCase: false });
  root.resolveAll();
  loaded = { grpc, root };
  return loaded;
}

const CONVERT: Protobuf.IConversionOptions = { longs: Number, enums: String, defaults: true, arrays: true };

/** google.protobuf.Any of an apipb message. */
export function any(type: string, value: Record<string, unknown>): { type_url: string; value: Uint8Array } {
  const t = lib().root.lookupType(`apipb.${type}`);
  const err = t.verify(value);
  if (err) throw new LabError(`gobgp: bad ${type}: ${err}`);
  return { type_url: `type.googleapis.com/apipb.${type}`, value: t.encode(t.fromObject(value)).finish() };
}

/** Decodes an Any (capabilities, attributes) into its apipb type name and fields. */
export function unpack(a: { type_url?: string; value?: Uint8Array }): { type: string; value: Record<string, unknown> } | undefined {
  const type = a.type_url?.split('/').at(-1);
  if (!type?.startsWith('apipb.') || !a.value) return undefined;
  const t = lib().root.lookupType(type);
  return { type: type.slice(6), value: t.toObject(t.decode(a.value), CONVERT) };
}

export type Msg = Record<string, unknown>;

export class GobgpClient {
  private readonly client: Grpc.Client;
  private readonly grpc: typeof Grpc;
  private readonly root: Protobuf.Root;

  constructor(readonly socketPath: string) {
    const { grpc, root } = lib();
    this.grpc = grpc;
    this.root = root;
    this.client = new grpc.Client(`unix://${socketPath}`, grpc.credentials.createInsecure(), {
      // The daemon is local and restarts with its node: reconnect at once, not after backoff.
      'grpc.initial_reconnect_backoff_ms': 50,
      'grpc.max_reconnect_backoff_ms': 500,
    });
  }

  private codec(method: string) {
    const svc = this.root.lookupService('apipb.GobgpApi');
    const m = svc.methods[method];
    if (!m) throw new LabError(`gobgp: no API method ${method}`);
    const req = this.root.lookupType(m.requestType);
    const res = this.root.lookupType(m.responseType);
    return {
      path: `/apipb.GobgpApi/${method}`,
      serialize: (v: Msg) => Buffer.from(req.encode(req.fromObject(v)).finish()),
      deserialize: (b: Buffer) => res.toObject(res.decode(b), CONVERT) as Msg,
    };
  }

  /** Waits until the daemon's socket answers (gobgpd just started), up to `timeoutMs`. */
  ready(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) =>
      this.client.waitForReady(Date.now() + timeoutMs, (err) =>
        err ? reject(new LabError(`gobgpd API at ${this.socketPath} did not answer in ${timeoutMs} ms`, { hint: "is the node's BGP agent running? see `bgp-lab status`" })) : resolve(),
      ),
    );
  }

  /** Calls wait for the socket (a daemon just started) instead of failing at once. */
  private waiting(): Grpc.Metadata {
    return new this.grpc.Metadata({ waitForReady: true });
  }

  call(method: string, request: Msg, timeoutMs = 10_000): Promise<Msg> {
    const c = this.codec(method);
    return new Promise((resolve, reject) =>
      this.client.makeUnaryRequest(c.path, c.serialize, c.deserialize, request, this.waiting(), { deadline: Date.now() + timeoutMs }, (err, value) =>
        err ? reject(new LabError(`gobgp ${method}: ${err.details || err.message}`)) : resolve(value ?? {}),
      ),
    );
  }

  stream(method: string, request: Msg, timeoutMs = 10_000): Promise<Msg[]> {
    const c = this.codec(method);
    return new Promise((resolve, reject) => {
      const out: Msg[] = [];
      const s = this.client.makeServerStreamRequest(c.path, c.serialize, c.deserialize, request, this.waiting(), { deadline: Date.now() + timeoutMs });
      s.on('data', (m: Msg) => out.push(m));
      s.on('error', (err: Grpc.ServiceError) => reject(new LabError(`gobgp ${method}: ${err.details || err.message}`)));
      s.on('end', () => resolve(out));
    });
  }

  startBgp(global: Msg): Promise<Msg> {
    return this.call('StartBgp', { global });
  }
  stopBgp(): Promise<Msg> {
    return this.call('StopBgp', {});
  }
  async getBgp(): Promise<Msg | undefined> {
    return (await this.call('GetBgp', {})).global as Msg | undefined;
  }
  addPeer(peer: Msg): Promise<Msg> {
    return this.call('AddPeer', { peer });
  }
  updatePeer(peer: Msg): Promise<Msg> {
    return this.call('UpdatePeer', { peer });
  }
  deletePeer(address: string): Promise<Msg> {
    return this.call('DeletePeer', { address });
  }
  resetPeer(address: string, soft: boolean, direction: 'BOTH' | 'OUT' = 'BOTH'): Promise<Msg> {
    return this.call('ResetPeer', { address, soft, direction });
  }
  // Routing policies (Cilium's v2 per-peer advertisements: pkg/bgpv1/gobgp AddRoutePolicy).
  addDefinedSet(definedSet: Msg): Promise<Msg> {
    return this.call('AddDefinedSet', { definedSet });
  }
  deleteDefinedSet(definedType: string, name: string): Promise<Msg> {
    return this.call('DeleteDefinedSet', { definedSet: { definedType, name }, all: true });
  }
  addPolicy(policy: Msg): Promise<Msg> {
    return this.call('AddPolicy', { policy, referExistingStatements: false });
  }
  deletePolicy(name: string): Promise<Msg> {
    return this.call('DeletePolicy', { policy: { name }, preserveStatements: false, all: true });
  }
  /** The global export assignment: these policies, then `defaultAction` for what none accepted. */
  addExportAssignment(policies: string[], defaultAction: 'ACCEPT' | 'REJECT'): Promise<Msg> {
    return this.call('AddPolicyAssignment', { assignment: { name: 'global', direction: 'EXPORT', policies: policies.map((name) => ({ name })), defaultAction } });
  }
  /** The export default alone (no policies): a deleted assignment leaves GoBGP's default at NONE, which exports nothing. */
  setExportDefault(defaultAction: 'ACCEPT' | 'REJECT'): Promise<Msg> {
    return this.call('SetPolicyAssignment', { assignment: { name: 'global', direction: 'EXPORT', policies: [], defaultAction } });
  }
  deleteExportAssignment(): Promise<Msg> {
    return this.call('DeletePolicyAssignment', { assignment: { name: 'global', direction: 'EXPORT' }, all: true });
  }
  async listExportAssignment(): Promise<Msg[]> {
    return (await this.stream('ListPolicyAssignment', { name: 'global', direction: 'EXPORT' })).map((r) => r.assignment as Msg);
  }
  async listPeers(): Promise<Msg[]> {
    return (await this.stream('ListPeer', {})).map((r) => r.peer as Msg);
  }
  addPath(path: Msg): Promise<Msg> {
    return this.call('AddPath', { tableType: 'GLOBAL', path });
  }
  deletePath(path: Msg): Promise<Msg> {
    return this.call('DeletePath', { tableType: 'GLOBAL', family: path.family, path });
  }
  async listPaths(family: Msg): Promise<Msg[]> {
    return (await this.stream('ListPath', { tableType: 'GLOBAL', family })).map((r) => r.destination as Msg);
  }

  close(): void {
    this.client.close();
  }
}
