import { Module } from '@nestjs/common';
import { ZeebeConnection } from './zeebe-connection';
import { ZeebeWorkflowEngine } from './zeebe-engine';

/**
 * The Zeebe adapter without the engine's HTTP API: what a worker process (apps/worker) needs.
 * The server gets the same classes through WorkflowModule when ENGINE=zeebe.
 */
@Module({ providers: [ZeebeConnection, ZeebeWorkflowEngine], exports: [ZeebeConnection, ZeebeWorkflowEngine] })
export class ZeebeEngineModule {}
