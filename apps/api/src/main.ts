import "reflect-metadata"; import { hello } from "@pvefleet/config"; import { NestFactory } from "@nestjs/core"; console.log(hello(), typeof NestFactory);
