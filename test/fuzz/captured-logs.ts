import { dirname } from 'node:path';

import type { Logger as N8nLogger } from '@n8n/backend-common';
import type { Container as N8nContainer } from '@n8n/di';

// n8n-core has its own copies of @n8n/di and @n8n/backend-common: its container is the one to set.
const fromCore = { paths: [dirname(require.resolve('n8n-core'))] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Container } = require(require.resolve('@n8n/di', fromCore)) as {
	Container: typeof N8nContainer;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Logger } = require(require.resolve('@n8n/backend-common', fromCore)) as {
	Logger: typeof N8nLogger;
};

/**
 * n8n's logger (what a node's `this.logger` and the engine write to), replaced for this test
 * file by one that keeps every line, with its metadata, so that the test can check what a run
 * logged (no API key) — and the console stays quiet.
 */
export function captureN8nLogs(): string[] {
	const lines: string[] = [];
	const keep =
		(level: string) =>
		(message: string, metadata?: unknown): void => {
			lines.push(`${level} ${message} ${safeText(metadata)}`);
		};
	const logger = {
		error: keep('error'),
		warn: keep('warn'),
		info: keep('info'),
		debug: keep('debug'),
		scoped: () => logger,
	};
	Container.set(Logger, logger as unknown as N8nLogger);
	return lines;
}

function safeText(value: unknown): string {
	if (value === undefined) return '';
	const seen = new WeakSet();
	try {
		return JSON.stringify(value, (_key, v: unknown) => {
			if (typeof v === 'object' && v !== null) {
				if (seen.has(v)) return '[circular]';
				seen.add(v);
				if (v instanceof Error) return { ...v, message: v.message, stack: v.stack };
			}
			return v;
		});
	} catch {
		return String(value);
	}
}
