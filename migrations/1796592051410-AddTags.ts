import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddTags1796592051410 implements MigrationInterface {
  name = 'AddTags1796592051410';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "tags" (
                "name" character varying(64) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_d90243459a697eadb8ad56e9092" PRIMARY KEY ("name")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TABLE "tags"
        `);
  }
}
