import { Controller, Get } from '@nestjs/common';
import { JobRegistry } from '@pvefleet/jobs';
import { openApiSchema } from '../common/openapi';

/** Contract: libs/contracts/src/job-kinds.contract.ts. */
@Controller('job-kinds')
export class JobKindsController {
  constructor(private readonly registry: JobRegistry) {}

  @Get()
  list() {
    return this.registry.list().map((k) => ({
      type: k.type,
      description: k.description,
      mutating: k.mutating,
      params: openApiSchema(k.spec),
    }));
  }
}
