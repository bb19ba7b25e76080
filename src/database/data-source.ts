import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigError, loadConfigFromEnvironment } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

function configOrExit(): AppConfig {
  try {
    return loadConfigFromEnvironment();
  } catch (err) {
    // The TypeORM CLI would print a stack trace; the contract promises one line.
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
}

/** The data source of the TypeORM CLI (migration:run, migration:generate, drift check). */
export default new DataSource(dataSourceOptions(configOrExit()));
