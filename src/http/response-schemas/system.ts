import { closed, type Schema } from './common.ts';

export const systemSchemas: Record<string, Schema> = {
  Health: {
    ...closed({ status: { enum: ['ok', 'unavailable'] } }),
    examples: [{ status: 'ok' }],
  },
  OpenApiDocument: {
    description: 'This document',
    type: 'object',
    required: ['openapi', 'info', 'paths', 'components'],
    properties: {
      openapi: { const: '3.1.0' },
      info: {
        type: 'object',
        required: ['title', 'version'],
        properties: { title: { type: 'string' }, version: { type: 'string' } },
      },
      paths: { type: 'object' },
      components: { type: 'object' },
    },
    examples: [
      {
        openapi: '3.1.0',
        info: { title: 'Birth medical certificate e-licence service', version: '0.1.0' },
        paths: {},
        components: {},
      },
    ],
  },
};
