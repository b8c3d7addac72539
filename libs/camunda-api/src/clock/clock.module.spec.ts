import { MODULE_METADATA } from '@nestjs/common/constants';
import { describe, expect, it } from 'vitest';
import { CamundaClockModule } from './clock.module';

describe('CamundaClockModule', () => {
  // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/pin-clock/ serves a test setting:
  // Mustafid has an adjustable clock only with ENABLE_TEST_CLOCK=true, so without it /v2/clock is an unknown route (404).
  it('serves /v2/clock only when the test clock is on', () => {
    expect(CamundaClockModule.register(false)).toEqual({ module: CamundaClockModule });
    const on = CamundaClockModule.register(true);
    expect(on.controllers?.map((c) => Reflect.getMetadata('path', c))).toEqual(['v2/clock']);
    expect(Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, CamundaClockModule)).toBeUndefined();
  });
});
