package io.edgewatch.track;

import java.util.Arrays;

/**
 * Minimum-cost assignment of rows to columns of a rectangular cost matrix (Kuhn-Munkres / Hungarian method with
 * potentials, O(n^2 m); Kuhn 1955, the shortest-augmenting-path form of Jonker and Volgenant 1987). Written here
 * because Apache Commons Math has no assignment solver and the tracker needs an optimal one.
 */
public final class HungarianAssignment {
    private HungarianAssignment() {
    }

    /**
     * @param cost {@code rows x cols} costs, finite
     * @return for each row the assigned column, or -1 when the row is left unassigned (more rows than columns)
     */
    public static int[] solve(double[][] cost) {
        int rows = cost.length;
        if (rows == 0) {
            return new int[0];
        }
        int cols = cost[0].length;
        if (cols == 0) {
            int[] none = new int[rows];
            Arrays.fill(none, -1);
            return none;
        }
        boolean transposed = rows > cols;
        double[][] a = transposed ? transpose(cost) : cost;
        int n = a.length;      // n <= m
        int m = a[0].length;
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] p = new int[m + 1];   // p[j] = row matched to column j (1-based), 0 = free
        int[] way = new int[m + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            double[] minv = new double[m + 1];
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            boolean[] used = new boolean[m + 1];
            do {
                used[j0] = true;
                int i0 = p[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = -1;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double cur = a[i0 - 1][j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] rowToCol = new int[n];
        Arrays.fill(rowToCol, -1);
        for (int j = 1; j <= m; j++) {
            if (p[j] != 0) {
                rowToCol[p[j] - 1] = j - 1;
            }
        }
        if (!transposed) {
            return rowToCol;
        }
        int[] result = new int[rows];
        Arrays.fill(result, -1);
        for (int c = 0; c < n; c++) {
            if (rowToCol[c] >= 0) {
                result[rowToCol[c]] = c;
            }
        }
        return result;
    }

    private static double[][] transpose(double[][] c) {
        double[][] t = new double[c[0].length][c.length];
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c[0].length; j++) {
                t[j][i] = c[i][j];
            }
        }
        return t;
    }
}
