/**
 * Drives the Node-RED 4.1 editor in a playwright page (selectors of node-red-conventions.md §5.2):
 * waiting for it, opening dialogs, deploying, reading status badges and the debug sidebar.
 * The page's `RED` global is typed loosely here on purpose: only the calls below are used.
 */
import type { Page } from 'playwright-core';

/** The slice of the editor's RED global these helpers and the specs touch inside page.evaluate. */
export interface EditorRED {
  nodes: {
    node(id: string): EditorNode | null | undefined;
    filterNodes(filter: { type?: string; z?: string }): EditorNode[];
    dirty(): boolean;
  };
  editor: { edit(node: EditorNode): void; editConfig(name: string, type: string, id: string): void };
  view: { importNodes(nodes: object[], options?: { generateIds?: boolean; addFlow?: boolean; touchImport?: boolean }): void; redraw(full?: boolean): void };
  sidebar: { show(id: string): void; help: { show(type: string): void } };
  workspaces: { show(id: string): void; active(): string };
  i18n: { lang(): string };
}

export interface EditorNode {
  id: string;
  type: string;
  z?: string;
  x: number;
  y: number;
  valid?: boolean;
  validationErrors?: string[];
  dirty?: boolean;
  [property: string]: unknown;
}

/** Loads the editor and waits until it has the flows and every node id in `nodeIds`. */
export async function openEditor(page: Page, nodeIds: readonly string[] = []): Promise<void> {
  await page.goto('/');
  await page.waitForFunction(
    (ids) => {
      const RED = (window as unknown as { RED?: Partial<EditorRED> }).RED;
      if (RED?.nodes === undefined || typeof RED.nodes.node !== 'function') return false;
      return ids.every((id) => Boolean(RED.nodes?.node(id)));
    },
    [...nodeIds],
    { timeout: 30000 },
  );
  // The palette and the workspace finish rendering just after the flows load.
  await page.locator('#red-ui-palette-container .red-ui-palette-node').first().waitFor();
}

/** Opens the edit dialog of a flow node and waits for its tray. */
export async function openNodeDialog(page: Page, id: string): Promise<void> {
  await page.evaluate((nodeId) => {
    const RED = (window as unknown as { RED: EditorRED }).RED;
    const node = RED.nodes.node(nodeId);
    if (!node) throw new Error(`no node ${nodeId} in the editor`);
    RED.editor.edit(node);
  }, id);
  await page.locator('#node-dialog-ok').waitFor();
}

/** Opens the edit dialog of a config node (e.g. kis-config) and waits for its tray. */
export async function openConfigDialog(page: Page, type: string, id: string): Promise<void> {
  await page.evaluate(([t, nodeId]) => (window as unknown as { RED: EditorRED }).RED.editor.editConfig('', t, nodeId), [type, id] as const);
  await page.locator('#node-config-dialog-ok').waitFor();
}

/** Clicks Done in the open node dialog and waits for the tray to close. */
export async function confirmNodeDialog(page: Page): Promise<void> {
  await page.locator('#node-dialog-ok').click();
  await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
}

/**
 * Clicks Deploy and waits until the editor has no unsaved changes. Confirms the "invalid nodes" /
 * "unused config" prompts only when `confirmWarnings` is set (a test that expects no warnings keeps it off
 * and times out instead of deploying a broken flow).
 */
export async function deployFromEditor(page: Page, options: { confirmWarnings?: boolean } = {}): Promise<void> {
  await page.locator('#red-ui-header-button-deploy').click();
  const confirm = page.locator('#red-ui-deploy-dialog-confirm-deploy-deploy');
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    if (await confirm.isVisible()) {
      const notification = page.locator('.red-ui-notification').filter({ has: confirm });
      if (options.confirmWarnings !== true) {
        // Leave the editor as it was: cancel the modal prompt, then report what it said.
        const warning = ((await notification.textContent()) ?? '').trim();
        const cancel = await page.evaluate(() => (window as unknown as { RED: { _(key: string): string } }).RED._('common.label.cancel'));
        await notification.locator('button', { hasText: cancel }).click();
        await notification.waitFor({ state: 'detached' });
        throw new Error(`deploy asked for confirmation: ${warning}`);
      }
      await confirm.click();
    }
    const dirty = await page.evaluate(() => (window as unknown as { RED: EditorRED }).RED.nodes.dirty());
    if (!dirty) return;
    await page.waitForTimeout(100);
  }
  throw new Error('deploy did not finish within 15 s');
}

export interface NodeStatusView {
  readonly text: string;
  /** e.g. "red-ui-flow-node-status-dot-green" */
  readonly shapeClass: string;
}

/** The status badge under a node on the canvas (empty text and class when it has none). */
export async function nodeStatus(page: Page, id: string): Promise<NodeStatusView> {
  return page.evaluate((nodeId) => {
    const group = document.querySelector(`g[id="${nodeId}"]`);
    const label = group?.querySelector('.red-ui-flow-node-status-label')?.textContent ?? '';
    const shape = group?.querySelector('.red-ui-flow-node-status');
    const shapeClass = [...(shape?.classList ?? [])].find((c) => /^red-ui-flow-node-status-(dot|ring)-/.test(c)) ?? '';
    return { text: label, shapeClass };
  }, id);
}

/** Waits until the node's status badge satisfies `predicate`; the error names the last badge seen. */
export async function waitForStatus(
  page: Page,
  id: string,
  predicate: (status: NodeStatusView) => boolean,
  timeoutMs = 20000,
): Promise<NodeStatusView> {
  const deadline = Date.now() + timeoutMs;
  let last: NodeStatusView = { text: '', shapeClass: '' };
  while (Date.now() < deadline) {
    last = await nodeStatus(page, id);
    if (predicate(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`status of ${id} did not reach the expected state within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

/** A message as the debug sidebar shows it. */
export interface DebugEntry {
  /** The meta line's topic part, e.g. "005930 : msg.payload : Object". */
  readonly topic: string;
  /** The whole entry as text: date, "node: <debug node name>", topic and the rendered payload. */
  readonly text: string;
}

/** Shows the debug sidebar tab. */
export async function showDebugSidebar(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { RED: EditorRED }).RED.sidebar.show('debug'));
  await page.locator('.red-ui-debug-content').first().waitFor({ state: 'attached' });
}

/** The messages currently listed in the debug sidebar, oldest first. */
export async function debugEntries(page: Page): Promise<DebugEntry[]> {
  return page.$$eval('.red-ui-debug-msg', (rows) =>
    rows.map((row) => ({
      topic: (row.querySelector('.red-ui-debug-msg-topic')?.textContent ?? '').trim(),
      text: (row.textContent ?? '').trim(),
    })),
  );
}

/** Opens the help of a node type in the help sidebar and returns its element's HTML. */
export async function helpHtml(page: Page, type: string): Promise<string> {
  await page.evaluate((t) => (window as unknown as { RED: EditorRED }).RED.sidebar.help.show(t), type);
  const help = page.locator('.red-ui-sidebar-help-stack .red-ui-help').first();
  await help.locator('*').first().waitFor();
  return help.innerHTML();
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

async function centreOf(page: Page, selector: string): Promise<Point> {
  const target = page.locator(selector).first();
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (box === null) throw new Error(`${selector} is not rendered`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * A real mouse drag: press, move in paced steps, release. jQuery UI (palette) and d3 (wires) only
 * follow moves that arrive as separate events, so each step waits a frame.
 */
async function mouseDrag(page: Page, from: Point, to: Point, steps = 15): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps);
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
}

/** Drags a node type from the palette onto the workspace (offset from its top-left); returns the new node's id. */
export async function dragFromPalette(page: Page, type: string, at: Point): Promise<string> {
  const existing = await page.evaluate((t) => (window as unknown as { RED: EditorRED }).RED.nodes.filterNodes({ type: t }).map((n) => n.id), type);
  const from = await centreOf(page, `.red-ui-palette-node[data-palette-type="${type}"]`);
  const chart = await page.locator('#red-ui-workspace-chart').boundingBox();
  if (chart === null) throw new Error('the workspace is not rendered');
  await mouseDrag(page, from, { x: chart.x + at.x, y: chart.y + at.y });
  const added = await page.evaluate(
    ([t, before]) => (window as unknown as { RED: EditorRED }).RED.nodes.filterNodes({ type: t }).map((n) => n.id).filter((id) => !before.includes(id)),
    [type, existing] as const,
  );
  if (added.length !== 1 || added[0] === undefined) throw new Error(`dragging ${type} from the palette added ${added.length} nodes`);
  return added[0];
}

/** Wires output `port` of node `from` to the input of node `to` by dragging between the ports. */
export async function wireNodes(page: Page, from: string, to: string, port = 0): Promise<void> {
  const source = await centreOf(page, `g[id="${from}"] .red-ui-flow-port-output >> nth=${port}`);
  const target = await centreOf(page, `g[id="${to}"] .red-ui-flow-port-input`);
  await mouseDrag(page, source, target, 10);
}
