/**
 * A configuration file that cannot be used. `setting` is the dotted path of the offending
 * setting (e.g. `menus.main.options.4.prompt`), so operators can find it in the YAML.
 */
export class ConfigError extends Error {
  readonly code = 'config-invalid';

  constructor(
    public readonly setting: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}
