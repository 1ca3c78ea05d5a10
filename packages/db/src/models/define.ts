import { DataTypes, type Model, type ModelAttributes, type ModelOptions, type ModelStatic, type Optional, type Sequelize } from 'sequelize';

/** A model whose instances carry `T` and are created from `C`. */
export type RecordModel<T extends object, C extends object = T> = ModelStatic<Model<T, C>>;

/** Columns PostgreSQL fills in (serial ids, `DEFAULT now()` timestamps). */
export type Generated = 'id' | 'createdAt' | 'updatedAt';

/** The creation shape: generated columns and anything listed in `K` become optional. */
export type Creation<T, K extends keyof T = never> = Optional<T, Extract<keyof T, Generated> | K>;

/**
 * `sequelize.define` with our conventions: snake_case columns, timestamps with time zone.
 * define() (not class `init`) so several Sequelize instances (one per test schema) can coexist.
 */
export function defineModel<T extends object, C extends object>(
  sequelize: Sequelize,
  name: string,
  tableName: string,
  attributes: ModelAttributes<Model<T, C>>,
  options: ModelOptions<Model<T, C>> = {},
): RecordModel<T, C> {
  return sequelize.define<Model<T, C>>(name, attributes, {
    tableName,
    underscored: true,
    timestamps: true,
    ...options,
  });
}

/**
 * Column shorthands, nullable by default. Getters on purpose: Sequelize writes `field` into the
 * attribute object it is given, so every column must get a fresh object (a shared one silently
 * maps every column that uses it onto the same database field).
 */
export const col = {
  get id() {
    return { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true };
  },
  get bigId() {
    return { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true };
  },
  get text() {
    return { type: DataTypes.TEXT, allowNull: true };
  },
  get date() {
    return { type: DataTypes.DATE, allowNull: true };
  },
  get int() {
    return { type: DataTypes.INTEGER, allowNull: true };
  },
  get bigint() {
    return { type: DataTypes.BIGINT, allowNull: true };
  },
  get json() {
    return { type: DataTypes.JSONB, allowNull: true };
  },
  get reqText() {
    return { type: DataTypes.TEXT, allowNull: false };
  },
  get reqInt() {
    return { type: DataTypes.INTEGER, allowNull: false };
  },
  get reqBigint() {
    return { type: DataTypes.BIGINT, allowNull: false };
  },
  get reqJson() {
    return { type: DataTypes.JSONB, allowNull: false };
  },
  get stamp() {
    return { type: DataTypes.DATE };
  },
  bool: (defaultValue: boolean) => ({ type: DataTypes.BOOLEAN, allowNull: false, defaultValue }),
  intDefault: (defaultValue: number) => ({
    type: DataTypes.INTEGER,
    allowNull: false,
    defaultValue,
  }),
  enum: <E extends string>(values: readonly E[], defaultValue?: E) => ({
    type: DataTypes.ENUM(...values),
    allowNull: false,
    ...(defaultValue === undefined ? {} : { defaultValue }),
  }),
  nullableEnum: <E extends string>(values: readonly E[]) => ({
    type: DataTypes.ENUM(...values),
    allowNull: true,
  }),
};
