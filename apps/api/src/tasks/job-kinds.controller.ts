import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JobRegistry } from '@pvefleet/jobs';
import { openApiSchema } from '../common/openapi';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('job-kinds')
export class JobKindsController {
  constructor(private readonly registry: JobRegistry) {}

  @Get()
  @ApiOperation({ summary: 'Every task type with what it does and the JSON schema of its params' })
  list() {
    return this.registry.list().map((k) => ({
      type: k.type,
      description: k.description,
      mutating: k.mutating,
      params: openApiSchema(k.spec),
    }));
  }
}
