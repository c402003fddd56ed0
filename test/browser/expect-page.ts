import type { Locator } from 'playwright-core';

/**
 * Waiting assertions on what the page shows (playwright-core has no `expect`; @playwright/test
 * would bring its own test runner). Each waits until the page shows the thing or the time is up,
 * then fails with what the page showed instead.
 */

async function shown(locator: Locator): Promise<string> {
	return await locator
		.first()
		.innerText({ timeout: 1_000 })
		.then(
			(text) => JSON.stringify(text.slice(0, 600)),
			() => '(nothing: the element is not there)',
		);
}

/**
 * Waits until an element inside `locator` shows `text` (a substring, or a pattern of the element's
 * text) and is visible: the editor keeps hidden banners whose text is already in the page.
 */
export async function shows(
	locator: Locator,
	text: string | RegExp,
	timeout?: number,
): Promise<void> {
	try {
		await locator.getByText(text).first().waitFor({ timeout });
	} catch {
		throw new Error(
			`Expected ${String(text)} in ${String(locator)}; it shows ${await shown(locator)}`,
		);
	}
}

/** Waits until `read()` gives `expected` (deep equality through JSON). */
export async function eventually<T>(
	read: () => Promise<T>,
	expected: T,
	timeout = 60_000,
): Promise<void> {
	let actual: T | undefined;
	for (const deadline = Date.now() + timeout; Date.now() < deadline; ) {
		actual = await read();
		if (JSON.stringify(actual) === JSON.stringify(expected)) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`Expected ${JSON.stringify(expected)}, the page gave ${JSON.stringify(actual)}`);
}
