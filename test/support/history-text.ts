import type { Client } from '@temporalio/client';
import { EncryptionCodec } from '../../codec/encryption-codec';
import { keyringFromEnv } from '../../codec/keyring';

type Node = unknown;

/**
 * A workflow history as text with every payload decrypted: what anyone holding the keys could read.
 * Used to prove that no secret value is in it.
 */
export async function decodedHistoryText(client: Client, workflowId: string, runId?: string): Promise<string> {
  const codec = new EncryptionCodec(keyringFromEnv());
  const history = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
  });
  const texts: string[] = [];
  const walk = async (node: Node): Promise<void> => {
    if (node instanceof Uint8Array) return;
    if (Array.isArray(node)) {
      for (const item of node) await walk(item);
      return;
    }
    if (node === null || typeof node !== 'object') {
      if (typeof node === 'string') texts.push(node);
      return;
    }
    const record = node as Record<string, unknown>;
    if ('data' in record && record.data instanceof Uint8Array && 'metadata' in record) {
      const [decoded] = await codec.decode([record]);
      texts.push(Buffer.from(decoded?.data ?? []).toString('utf8'));
      return;
    }
    for (const value of Object.values(record)) await walk(value);
  };
  await walk(history.history);
  return texts.join('\n');
}
