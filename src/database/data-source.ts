import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfigFromEnvironment } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

/** The data source of the TypeORM CLI (migration:run, migration:generate, drift check). */
export default new DataSource(dataSourceOptions(loadConfigFromEnvironment()));
