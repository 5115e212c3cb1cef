import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  alertChannelIdParams,
  createAlertChannelSchema,
  listAlertChannelsQuery,
  listDeliveriesQuery,
  updateAlertChannelSchema,
  type CreateAlertChannel,
  type UpdateAlertChannel,
} from '@pvefleet/contracts';
import { AlertChannelsService, AlertRepository, toChannelView, toDeliveryView } from '@pvefleet/alerts';
import type { z } from 'zod';
import { ZodPipe } from '../common/zod.pipe';

const idParam = new ZodPipe(alertChannelIdParams.shape.id, 'id');

/** Contracts: libs/contracts/src/alerts.contract.ts. Answers never carry a channel's secret, only `hasSecret`. */
@Controller('alert-channels')
export class AlertChannelsController {
  constructor(
    private readonly channels: AlertChannelsService,
    private readonly alerts: AlertRepository,
  ) {}

  @Post()
  async create(@Body(new ZodPipe(createAlertChannelSchema)) body: CreateAlertChannel) {
    return toChannelView(await this.channels.create(body));
  }

  @Get()
  async list(@Query(new ZodPipe(listAlertChannelsQuery, 'query')) q: z.infer<typeof listAlertChannelsQuery>) {
    const { data, total } = await this.channels.page(q.start, q.limit);
    return { total, start: q.start, limit: q.limit, data: data.map(toChannelView) };
  }

  @Get(':id')
  async get(@Param('id', idParam) id: number) {
    return toChannelView(await this.channels.get(id));
  }

  @Put(':id')
  async update(@Param('id', idParam) id: number, @Body(new ZodPipe(updateAlertChannelSchema)) body: UpdateAlertChannel) {
    return toChannelView(await this.channels.update(id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', idParam) id: number) {
    await this.channels.remove(id);
  }

  @Post(':id/test')
  @HttpCode(200)
  test(@Param('id', idParam) id: number) {
    return this.channels.test(id);
  }

  @Get(':id/deliveries')
  async deliveries(
    @Param('id', idParam) id: number,
    @Query(new ZodPipe(listDeliveriesQuery, 'query')) q: z.infer<typeof listDeliveriesQuery>,
  ) {
    await this.channels.get(id);
    const { data, total } = await this.alerts.channelDeliveries(id, q.status, q.start, q.limit);
    return { total, start: q.start, limit: q.limit, data: data.map(toDeliveryView) };
  }
}
