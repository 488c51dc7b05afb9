import { inject } from 'vitest';

// The AWS SDK and the worker config read these standard settings, exactly as in production.
process.env.AWS_ENDPOINT_URL = inject('motoEndpoint');
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'testing';
process.env.AWS_SECRET_ACCESS_KEY = 'testing';
process.env.TEMPORAL_ADDRESS = inject('temporalAddress');
process.env.IDRA_WORKFLOW_BUNDLE = inject('workflowBundlePath');
