import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium, selectors, type BrowserContext, type Locator, type Page } from 'playwright-core';

/**
 * n8n's editor in headless Chromium (Debian's package, /usr/bin/chromium: a browser download from a
 * CDN does not work here), driven with playwright-core, and the few gestures the journeys repeat.
 * Selectors are n8n's own `data-test-id`s, the ones n8n's end-to-end tests use.
 */

export const CHROMIUM = process.env.BREVO_CHROMIUM ?? '/usr/bin/chromium';

/** As measured on these machines: without the background-networking flags Chromium keeps trying to reach Google. */
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export interface Browser {
	context: BrowserContext;
	page: Page;
	close(): Promise<void>;
}

/** Chromium with a fresh, throwaway profile, its pages relative to `baseURL`. */
export async function launchBrowser(baseURL: string): Promise<Browser> {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(
			`${CHROMIUM} not found: install Debian's Chromium (apt-get install -y chromium; .ci/run does it) or set BREVO_CHROMIUM`,
		);
	}
	selectors.setTestIdAttribute('data-test-id');
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'brevo-event-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_FLAGS,
		viewport: { width: 1280, height: 960 },
		baseURL,
	});
	// n8n on a loaded 2-core machine: a click that opens a panel can take seconds.
	context.setDefaultTimeout(60_000);
	const page = context.pages()[0] ?? (await context.newPage());
	return {
		context,
		page,
		close: async () => {
			await context.close();
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}

const HIDE_TOASTS = '.el-notification { display: none !important; }';

/**
 * Screenshots of the journeys. They go to BREVO_SCREENSHOTS (`npm run screenshots` sets it to
 * test/browser/screenshots, the README's pictures), else to .cache/browser-screenshots, so that a test run
 * does not rewrite the committed ones.
 */
export class Screenshots {
	readonly dir = path.resolve(
		process.env.BREVO_SCREENSHOTS ??
			path.join(__dirname, '..', '..', '.cache', 'browser-screenshots'),
	);

	constructor(private readonly page: Page) {
		fs.mkdirSync(this.dir, { recursive: true });
	}

	async take(name: string, target?: Locator): Promise<void> {
		// Without n8n's passing notifications ("Node executed successfully"), which cover the panel.
		const options = { path: path.join(this.dir, `${name}.png`), style: HIDE_TOASTS };
		if (target) await target.screenshot(options);
		else await this.page.screenshot(options);
	}

	/** The part of the page around every element `targets` matches (the nodes on the canvas). */
	async takeAround(name: string, targets: Locator, margin = { x: 160, y: 60 }): Promise<void> {
		const boxes = (await Promise.all((await targets.all()).map((t) => t.boundingBox()))).filter(
			(box) => box !== null,
		);
		const left = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin.x);
		const top = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin.y);
		const right = Math.max(...boxes.map((b) => b.x + b.width)) + margin.x;
		const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + margin.y;
		await this.page.screenshot({
			path: path.join(this.dir, `${name}.png`),
			style: HIDE_TOASTS,
			clip: { x: left, y: top, width: right - left, height: bottom - top },
		});
	}
}

/** The editor's REST API as the page itself calls it: n8n ties the session to the browser's id. */
export async function restInPage<T>(
	page: Page,
	method: string,
	route: string,
	body?: unknown,
): Promise<{ status: number; data: T }> {
	return await page.evaluate(
		async ({ method, route, body }) => {
			const response = await fetch(`/rest${route}`, {
				method,
				headers: {
					'content-type': 'application/json',
					'browser-id': localStorage.getItem('n8n-browserId') ?? '',
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const json = (await response.json()) as { data: T };
			return { status: response.status, data: json.data };
		},
		{ method, route, body },
	);
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
	await page.goto('/signin');
	await page.locator('input[name=emailOrLdapLoginId]').fill(email);
	await page.locator('input[name=password]').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/**
 * A dropdown of the node panel: open it, click the option whose text starts with `label`. A
 * dropdown whose options are still loading (the attribute picker) ignores the click: open it again.
 */
export async function choose(page: Page, dropdown: Locator, label: string): Promise<void> {
	const option = page
		.getByRole('option', { name: new RegExp(`^${label.replace(/[()]/g, '\\$&')}`) })
		.first();
	for (let attempt = 1; ; attempt++) {
		await dropdown.click();
		const open = await option.waitFor({ timeout: 10_000 }).then(
			() => true,
			() => false,
		);
		if (open) break;
		if (attempt === 5) throw new Error(`No option "${label}" in ${String(dropdown)}`);
		await page.keyboard.press('Escape');
	}
	await option.click();
}

/** The input of parameter `name` (n8n's test id `parameter-input-<name>`), within `scope`. */
export function parameter(scope: Page | Locator, name: string): Locator {
	return scope.getByTestId(`parameter-input-${name}`);
}

/** Drags field `field` of the input panel's schema view onto `target`, as a user maps data. */
export async function dragField(page: Page, field: string, target: Locator): Promise<void> {
	await target.scrollIntoViewIfNeeded();
	await page
		.getByTestId('ndv-input-panel')
		.getByTestId('run-data-schema-node-name')
		.filter({ hasText: new RegExp(`^${field}$`) })
		.dragTo(target, { steps: 10 });
}

/** The node panel (NDV) of the canvas node showing `name`. */
export async function openNode(page: Page, name: string): Promise<Locator> {
	await page.getByTestId('canvas-node').filter({ hasText: name }).first().dblclick();
	const ndv = page.getByTestId('ndv');
	await ndv.waitFor();
	return ndv;
}

export async function closeNode(page: Page): Promise<void> {
	await page.getByTestId('ndv-close-button').click();
	await page.getByTestId('ndv').waitFor({ state: 'hidden' });
}

/** Replaces the pinned output ("mock data") of the open node's panel with `items`. */
export async function pinItems(page: Page, items: unknown[]): Promise<void> {
	const output = page.getByTestId('output-panel');
	await page.getByTestId('ndv-edit-pinned-data').click();
	const editor = output.locator('[contenteditable=true]');
	await editor.click();
	await page.keyboard.press('ControlOrMeta+a');
	await editor.fill(JSON.stringify(items));
	await output.getByRole('button', { name: 'Save' }).click();
	await output.getByText(`${items.length} item`).first().waitFor();
}
