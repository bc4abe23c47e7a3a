// Where each device goes: elkjs's layered layout (Sugiyama), top to bottom in tiers
// (spines, leaves, nodes, pods), nodes kept next to their rack's other members by the
// crossing minimisation. Shared by the SVG/PNG and the draw.io export.
import type { Graph, GraphNode } from './model.js';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Layout {
  width: number;
  height: number;
  boxes: Map<string, Box>;
}

export const LINE_H = 15;
const CHAR_W = 7.2;

export function boxSize(n: GraphNode): { w: number; h: number } {
  const lines = [n.name, ...n.detail, ...n.problems];
  return { w: Math.ceil(Math.max(...lines.map((l) => l.length)) * CHAR_W + 22), h: lines.length * LINE_H + 14 };
}

const TIER_LAYER: Record<GraphNode['tier'], number> = { spine: 0, leaf: 1, node: 2, pod: 3 };

export async function layoutGraph(g: Graph): Promise<Layout> {
  // A CommonJS module: its constructor is `default` at run time, which the typings do not say.
  const mod = (await import('elkjs/lib/elk.bundled.js')) as unknown as { default: new () => import('elkjs/lib/elk-api.js').ELK };
  const elk = new mod.default();
  const res = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '80',
      'elk.spacing.nodeNode': '28',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.crossingMinimization.semiInteractive': 'true',
      'elk.padding': '[top=20,left=20,bottom=20,right=20]',
    },
    children: g.nodes.map((n, i) => ({
      id: n.id,
      width: boxSize(n).w,
      height: boxSize(n).h,
      // Tiers as layers, and the model's order within a tier as the start of crossing minimisation.
      layoutOptions: { 'elk.layered.layering.layerConstraint': n.tier === 'spine' ? 'FIRST' : 'NONE', 'elk.position': `(${i * 10},${TIER_LAYER[n.tier] * 100})` },
    })),
    edges: g.edges.map((e) => ({ id: e.id, sources: [e.from], targets: [e.to] })),
  });
  const boxes = new Map<string, Box>();
  for (const c of res.children ?? []) boxes.set(c.id, { x: c.x ?? 0, y: c.y ?? 0, w: c.width ?? 0, h: c.height ?? 0 });
  const size = res as { width?: number; height?: number };
  return { width: size.width ?? 0, height: size.height ?? 0, boxes };
}
