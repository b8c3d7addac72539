import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DataSource } from 'typeorm';

/**
 * The engine's Prometheus metrics. Counters and histograms are updated as work happens;
 * the gauges of stored state (instances, waiting timers, open incidents) are read from the
 * database when scraped, so every server process reports the same truth.
 */
@Injectable()
export class EngineMetrics {
  readonly registry = new Registry();
  readonly jobsActivated = new Counter({ name: 'mustafid_jobs_activated_total', help: 'Jobs activated, by type', labelNames: ['type'], registers: [this.registry] });
  readonly jobsCompleted = new Counter({ name: 'mustafid_jobs_completed_total', help: 'Jobs completed, by type', labelNames: ['type'], registers: [this.registry] });
  readonly jobsFailed = new Counter({ name: 'mustafid_jobs_failed_total', help: 'Job failures reported by workers, by type', labelNames: ['type'], registers: [this.registry] });
  readonly commandsRefused = new Counter({
    name: 'mustafid_commands_refused_total',
    help: "Clients' commands refused by backpressure (ENGINE_MAX_PENDING_COMMANDS): RESOURCE_EXHAUSTED",
    registers: [this.registry],
  });
  readonly timerLag = new Histogram({
    name: 'mustafid_timer_firing_lag_seconds',
    help: 'From a timer being due to it having fired',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 60],
    registers: [this.registry],
  });
  readonly engineCache = new Counter({
    name: 'mustafid_engine_cache_total',
    help: 'Steps that reused a live engine (hit) or recovered the instance from its stored state (miss)',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly stepLatency = new Histogram({
    name: 'mustafid_engine_step_seconds',
    help: 'One step of an instance (recover, apply a command, persist), by command',
    labelNames: ['command'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly batchSize = new Histogram({
    name: 'mustafid_engine_batch_commands',
    help: 'Commands one lane ran in one transaction (group commit)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 200],
    registers: [this.registry],
  });
  readonly laneDepth = new Histogram({
    name: 'mustafid_engine_lane_queue_depth',
    help: "Commands waiting in a command's lane when it joined it",
    buckets: [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 1024],
    registers: [this.registry],
  });
  readonly batchFallbacks = new Counter({
    name: 'mustafid_engine_batch_fallbacks_total',
    help: 'Batches rolled back (an incident, a deadlock, a failed statement) and run again one command per transaction',
    registers: [this.registry],
  });

  constructor(@InjectDataSource() db: DataSource) {
    collectDefaultMetrics({ register: this.registry, prefix: 'mustafid_' });
    new Gauge({
      name: 'mustafid_timers_waiting',
      help: 'Durable timers not yet due or fired',
      registers: [this.registry],
      async collect() {
        const [row] = await db.query(`SELECT count(*)::int AS n FROM wf_timer WHERE state = 'CREATED'`);
        this.set(row.n);
      },
    });
    new Gauge({
      name: 'mustafid_incidents_open',
      help: 'Incidents not yet resolved',
      registers: [this.registry],
      async collect() {
        const [row] = await db.query(`SELECT count(*)::int AS n FROM wf_incident WHERE state = 'ACTIVE'`);
        this.set(row.n);
      },
    });
    new Gauge({
      name: 'mustafid_process_instances',
      help: 'Process instances by process and state',
      labelNames: ['process', 'state'],
      registers: [this.registry],
      async collect() {
        const rows: Array<{ process: string; state: string; n: number }> = await db.query(
          `SELECT bpmn_process_id AS process, state, count(*)::int AS n FROM wf_process_instance GROUP BY 1, 2`,
        );
        this.reset();
        for (const r of rows) this.set({ process: r.process, state: r.state }, r.n);
      },
    });
  }
}
